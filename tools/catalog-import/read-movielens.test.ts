import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import type { BadRow } from "./catalog-title.js";
import { parseRatingRow, platformStars, RATINGS_HEADER, type RatingRow } from "./movielens-rows.js";
import { eachRow, InputFormatError, parseMovieLens } from "./read-movielens.js";

const file = (name: string, text: string) => ({ file: name, stream: Readable.from([text]) });
const read = (movies: string, tags?: string, links?: string) =>
  parseMovieLens({ movies: file("movies.csv", movies), tags: tags === undefined ? undefined : file("tags.csv", tags), links: links === undefined ? undefined : file("links.csv", links) }, { rating: "R" });

describe("MovieLens directory", () => {
  it("reads movies with RFC 4180 quoting, article order, mapped genres and the default rating", async () => {
    const { titles, badRows } = await read(
      [
        "movieId,title,genres",
        "1,Toy Story (1995),Adventure|Animation|Children|Comedy|Fantasy",
        '2,"American President, The (1995)",Comedy|Drama|Romance',
        '3,"Big ""Quoted"" Title, A (2001)",Sci-Fi|IMAX',
        "4,Some Documentary (2010),(no genres listed)",
        "",
      ].join("\n"),
    );
    expect(badRows).toEqual([]);
    expect(titles.map((t) => [t.line, t.title.title, t.title.genres])).toEqual([
      [2, "Toy Story", ["Adventure", "Animation", "Kids", "Comedy", "Fantasy"]],
      [3, "The American President", ["Comedy", "Drama", "Romance"]],
      [4, 'A Big "Quoted" Title', ["Science Fiction"]],
      [5, "Some Documentary", ["Other"]],
    ]);
    expect(titles[0].title).toMatchObject({ type: "MOVIE", releaseYear: 1995, rating: "R", externalIds: [{ source: "movielens", id: "1" }], seasons: [] });
  });

  it("reports bad rows with their file and line and keeps going", async () => {
    const { titles, badRows } = await read(
      [
        "movieId,title,genres",
        "1,Fine (1995),Drama",
        "2,Too,Many,Columns (1995),Drama",
        "3,No Year,Drama",
        "4,Strange Year (19x5),Drama",
        '5,"Line',
        'Break (1990)",Drama',
        '6,bad"quote (1990),Drama',
        "x,Not A Number (1990),Drama",
        "7,,Drama",
        "1,Fine Again (1996),Drama",
        "8,Last (2000),Drama",
      ].join("\n"),
    );
    expect(titles.map((t) => [t.line, t.title.title])).toEqual([
      [2, "Fine"],
      [6, "Line Break"], // a quoted line break is kept by the CSV reader, then folded like any run of spaces
      [12, "Last"],
    ]);
    expect(badRows.map((b) => [b.file, b.line])).toEqual([
      ["movies.csv", 3],
      ["movies.csv", 4],
      ["movies.csv", 5],
      ["movies.csv", 8],
      ["movies.csv", 9],
      ["movies.csv", 10],
      ["movies.csv", 11],
    ]);
    expect(badRows[0].reason).toBe("5 columns, expected 3 (movieId,title,genres)");
    expect(badRows[1].reason).toContain("no release year");
    expect(badRows[2].reason).toContain("unparseable release year");
    expect(badRows[3].reason).toContain("Quote");
    expect(badRows[5].reason).toBe("no title");
    expect(badRows[6].reason).toBe("movieId 1 already on line 2");
  });

  it("turns tags into distinct keywords, the most used first, after other names, capped at 100", async () => {
    const tags = ["userId,movieId,tag,timestamp", "1,1,pixar,1", "2,1,toys,2", "3,1,Pixar,3", "4,1,  pixar ,4", "5,1,friendship,5", "6,1,toys,6", "7,2,heist,7", "8,1,,8"];
    for (let i = 0; i < 150; i++) tags.push(`9,3,tag ${i},${i}`);
    const { titles } = await read(["movieId,title,genres", "1,Toy Story (1995),Animation", "2,Seven (a.k.a. Se7en) (1995),Crime", "3,Many Tags (2000),Drama"].join("\n"), tags.join("\n"));
    expect(titles[0].title.keywords).toEqual(["pixar", "toys", "friendship"]);
    expect(titles[1].title.keywords).toEqual(["Se7en", "heist"]);
    expect(titles[2].title.keywords).toHaveLength(100);
    expect(titles[2].title.keywords[0]).toBe("tag 0");
  });

  it("turns links into IMDb (tt + 7 digits) and TMDB ids beside the MovieLens one", async () => {
    const { titles, badRows } = await read(
      ["movieId,title,genres", "1,Toy Story (1995),Animation", "2,Jumanji (1995),Adventure", "3,No Links (1995),Drama"].join("\n"),
      undefined,
      ["movieId,imdbId,tmdbId", "1,0114709,862", "2,113497,", "4,1234567,1", "5,abc,1"].join("\n"),
    );
    expect(titles.map((t) => t.title.externalIds)).toEqual([
      [{ source: "movielens", id: "1" }, { source: "imdb", id: "tt0114709" }, { source: "tmdb", id: "862" }],
      [{ source: "movielens", id: "2" }, { source: "imdb", id: "tt0113497" }],
      [{ source: "movielens", id: "3" }],
    ]);
    expect(badRows).toEqual([{ file: "links.csv", line: 5, reason: 'imdbId "abc" is not a number' }]);
  });

  it("refuses a file without the MovieLens header", async () => {
    await expect(read("id,name\n1,Toy Story (1995)\n")).rejects.toThrow(InputFormatError);
    await expect(read("")).rejects.toThrow(/empty/);
  });

  it("reads ratings rows, refusing what is not 0.5-5 stars in halves, and puts half stars onto 1-5", async () => {
    const rows: RatingRow[] = [];
    const badRows: BadRow[] = [];
    const text = ["userId,movieId,rating,timestamp", "1,296,5.0,1147880044", "1,307,3.5,1147868828", "2,1,0.5,964982703", "2,2,4.2,964982703", "x,1,4,1", "3,1,4,-5", "3,1"].join("\n");
    await eachRow(file("ratings.csv", text), RATINGS_HEADER, parseRatingRow, badRows, (r) => rows.push(r));
    expect(rows).toEqual([
      { userId: "1", movieId: "296", rating: 5, timestamp: 1147880044 },
      { userId: "1", movieId: "307", rating: 3.5, timestamp: 1147868828 },
      { userId: "2", movieId: "1", rating: 0.5, timestamp: 964982703 },
    ]);
    expect(badRows.map((b) => [b.line, b.reason])).toEqual([
      [5, 'rating "4.2" is not 0.5-5 in steps of 0.5'],
      [6, 'userId "x" is not a number'],
      [7, 'timestamp "-5" is not whole seconds since 1970'],
      [8, "2 columns, expected 4 (userId,movieId,rating,timestamp)"],
    ]);
    expect([0.5, 1, 1.5, 3, 3.5, 4.5, 5].map(platformStars)).toEqual([1, 1, 2, 3, 4, 5, 5]);
  });
});
