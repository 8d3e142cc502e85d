import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { fingerprintId } from "./jsonl-title.js";
import { parseJsonl } from "./read-jsonl.js";

const show = {
  title: "Garden Friends",
  type: "TV_SHOW",
  genres: ["Kids"],
  releaseYear: 2020,
  rating: "TV-Y",
  cast: ["Zoë Núñez"],
  externalIds: [{ source: "tvdb", id: "42" }],
  seasons: [{ seasonNumber: 1, title: "Season 1", episodes: [{ episodeNumber: 1, title: "Pilot" }, { episodeNumber: 2, title: "Rain" }] }],
};

describe("JSON Lines titles", () => {
  it("reads the catalog's own fields, with defaults for what a line leaves out", async () => {
    const lines = [
      JSON.stringify({ title: "Amélie", originalTitle: "Le Fabuleux Destin d'Amélie Poulain", type: "MOVIE", genres: ["Comedy", "Romance"], releaseYear: 2001, rating: "R", language: "fr", director: "Jean-Pierre Jeunet", keywords: ["paris"], externalIds: [{ source: "imdb", id: "tt0211915" }], durationMinutes: 122, popularity: 87.5 }),
      "",
      JSON.stringify(show),
    ];
    const { titles, badRows } = await parseJsonl("catalog.jsonl", Readable.from([lines.join("\n")]), { rating: "R" });
    expect(badRows).toEqual([]);
    expect(titles.map((t) => t.line)).toEqual([1, 3]);
    expect(titles[0].title).toEqual({
      title: "Amélie",
      originalTitle: "Le Fabuleux Destin d'Amélie Poulain",
      description: "",
      type: "MOVIE",
      genres: ["Comedy", "Romance"],
      releaseYear: 2001,
      rating: "R",
      language: "fr",
      cast: [],
      director: "Jean-Pierre Jeunet",
      keywords: ["paris"],
      externalIds: [{ source: "imdb", id: "tt0211915" }],
      durationMinutes: 122,
      thumbnailUrl: "",
      popularity: 87.5,
      seasons: [],
    });
    expect(titles[1].title).toMatchObject({ type: "TV_SHOW", rating: "TV_Y", seasons: [{ seasonNumber: 1, releaseYear: 0, episodes: [{ episodeNumber: 1, title: "Pilot", description: "" }, { episodeNumber: 2 }] }] });
  });

  it("gives a line without external ids a stable fingerprint id, so a second import recognises it", async () => {
    const line = JSON.stringify({ title: "Nameless", type: "MOVIE", genres: ["Drama"], releaseYear: 1999, rating: "PG" });
    const first = await parseJsonl("a.jsonl", Readable.from([line]), { rating: "R" });
    const again = await parseJsonl("b.jsonl", Readable.from([line]), { rating: "R" });
    expect(first.titles[0].title.externalIds).toEqual([fingerprintId({ type: "MOVIE", title: "Nameless", releaseYear: 1999 })]);
    expect(again.titles[0].title.externalIds).toEqual(first.titles[0].title.externalIds);
    expect(fingerprintId({ type: "MOVIE", title: "Nameless", releaseYear: 2000 })).not.toEqual(first.titles[0].title.externalIds[0]);
  });

  it("reports bad lines by number and keeps the good ones", async () => {
    const good = { title: "Good", type: "MOVIE", genres: ["Drama"], releaseYear: 2000, externalIds: [{ source: "x", id: "1" }] };
    const lines = [
      "{not json",
      JSON.stringify({ ...good, type: "PODCAST" }),
      JSON.stringify({ ...good, title: "" }),
      JSON.stringify({ ...good, releaseYear: "2000" }),
      JSON.stringify({ ...good, releaseYear: undefined }),
      JSON.stringify({ ...good, rating: "XXX" }),
      JSON.stringify({ ...good, genres: [] }),
      JSON.stringify({ ...good, seasons: [{ seasonNumber: 1, episodes: [] }] }),
      JSON.stringify({ ...show, seasons: [{ seasonNumber: 1, episodes: [{ episodeNumber: 1, title: "A" }, { episodeNumber: 1, title: "B" }] }] }),
      "[1, 2]",
      JSON.stringify(good),
    ];
    const { titles, badRows } = await parseJsonl("catalog.jsonl", Readable.from([lines.join("\r\n")]), { rating: "PG" });
    expect(titles.map((t) => [t.line, t.title.title, t.title.rating])).toEqual([[11, "Good", "PG"]]);
    expect(badRows.map((b) => [b.line, b.reason])).toEqual([
      [1, expect.stringMatching(/^bad JSON/)],
      [2, 'unknown type "PODCAST", expected MOVIE or TV_SHOW'],
      [3, "no title"],
      [4, "releaseYear is not a number"],
      [5, "no releaseYear"],
      [6, 'unknown rating "XXX"'],
      [7, "no genre"],
      [8, "a MOVIE has no seasons"],
      [9, "season 1: episode 1 is listed twice"],
      [10, "the line is not a JSON object"],
    ]);
  });
});
