import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { titleProblems } from "./check-title.js";
import { foldTitle, generateCatalog } from "./generate.js";
import { readCatalogDir } from "./read-catalog.js";
import { writeJsonl, writeMovieLens } from "./write-catalog.js";

describe("synthetic catalog generator", () => {
  const catalog = generateCatalog({ titles: 15_000, seed: 1 });
  const names = catalog.map((t) => t.title);
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it("is the same catalog for the same seed and another one for another seed", () => {
    expect(generateCatalog({ titles: 300, seed: 7 })).toEqual(generateCatalog({ titles: 300, seed: 7 }));
    expect(generateCatalog({ titles: 300, seed: 8 }).map((t) => t.title)).not.toEqual(generateCatalog({ titles: 300, seed: 7 }).map((t) => t.title));
    expect(catalog.slice(0, 300)).not.toEqual(generateCatalog({ titles: 300, seed: 2 }));
  });

  it("makes titles unique even with case, accents, punctuation and articles folded", () => {
    expect(new Set(catalog.map((t) => foldTitle(t.title))).size).toBe(catalog.length);
    expect(new Set(catalog.flatMap((t) => t.externalIds.map((e) => `${e.source}:${e.id}`))).size).toBe(catalog.flatMap((t) => t.externalIds).length);
  });

  it("makes only titles the catalog accepts", () => {
    expect(catalog.filter((t) => titleProblems(t).length > 0).map((t) => [t.title, titleProblems(t)])).toEqual([]);
  });

  it("has the variety search has to cope with", () => {
    const share = (pred: (s: string) => boolean) => names.filter(pred).length / names.length;
    expect(share((n) => /[À-ÿĀ-žḀ-ỿ]/.test(n))).toBeGreaterThan(0.05); // accents: Amélie, Montréal
    expect(share((n) => /\p{L}-\p{L}/u.test(n))).toBeGreaterThan(0.01); // hyphens: Spider-Man
    expect(names.some((n) => n.includes("·"))).toBe(true); // interpuncts: WALL·E
    expect(share((n) => n.includes(":"))).toBeGreaterThan(0.05); // subtitles
    expect(share((n) => /\d/.test(n))).toBeGreaterThan(0.02); // numbers
    expect(share((n) => /^(The|A|An|La|Le|Les|El|Der|Die|Das|Il) /.test(n))).toBeGreaterThan(0.1); // leading articles
    expect(names.some((n) => /^L'/.test(n))).toBe(true);
    expect(names.some((n) => /[&'!?]/.test(n))).toBe(true);
    expect(share((n) => n.split(" ").length >= 2)).toBeGreaterThan(0.9); // multi-word
    // Sequels: a title and its follow-up share their beginning.
    const sequels = catalog.filter((t) => / (2|3|4|II|III|IV)$|: Part [IV]+$/.test(t.title));
    expect(sequels.length).toBeGreaterThan(100);
    expect(sequels.some((s) => catalog.some((b) => b !== s && (s.title.startsWith(`${b.title} `) || s.title.startsWith(`${b.title}:`))))).toBe(true);
    // Originals in other languages and scripts.
    expect(catalog.filter((t) => t.originalTitle !== "").length).toBeGreaterThan(500);
    expect(catalog.some((t) => /\p{Script=Han}|\p{Script=Hangul}|\p{Script=Devanagari}/u.test(t.originalTitle))).toBe(true);
    expect(new Set(catalog.map((t) => t.language)).size).toBeGreaterThanOrEqual(8);
  });

  it("makes series with seasons and episodes, and a cast where a few people are everywhere", () => {
    const shows = catalog.filter((t) => t.type === "TV_SHOW");
    expect(shows.length / catalog.length).toBeGreaterThan(0.15);
    expect(shows.every((s) => s.seasons.length >= 1 && s.seasons.every((season) => season.episodes.length >= 1))).toBe(true);
    expect(shows.every((s) => s.rating.startsWith("TV_"))).toBe(true);
    expect(catalog.filter((t) => t.type === "MOVIE").every((m) => m.seasons.length === 0 && !m.rating.startsWith("TV_"))).toBe(true);

    const appearances = new Map<string, number>();
    for (const t of catalog) for (const c of t.cast) appearances.set(c, (appearances.get(c) ?? 0) + 1);
    const counts = [...appearances.values()].sort((a, b) => b - a);
    expect(counts[0]).toBeGreaterThan(100); // stars
    expect(counts.at(-1)).toBeLessThan(10); // bit players
    expect([...appearances.keys()].some((n) => /[À-ÿĀ-žƀ-ɏḀ-ỿ]/.test(n))).toBe(true);
    expect(new Set(catalog.map((t) => t.rating)).size).toBe(11);
    expect(new Set(catalog.flatMap((t) => t.genres)).size).toBeGreaterThanOrEqual(15);
    expect(Math.min(...catalog.map((t) => t.releaseYear))).toBeLessThan(1960);
    expect(new Set(catalog.map((t) => t.popularity)).size).toBeGreaterThan(1000);
    expect(catalog.every((t) => t.description.length > 20)).toBe(true);
  });

  it("writes files the importer reads back as the same titles", async () => {
    const small = generateCatalog({ titles: 400, seed: 3 });
    const ml = await mkdtemp(path.join(tmpdir(), "cinemesh-gen-ml-"));
    const jl = await mkdtemp(path.join(tmpdir(), "cinemesh-gen-jl-"));
    dirs.push(ml, jl);

    await writeJsonl(jl, small);
    const fromJsonl = await readCatalogDir(jl, { rating: "R" });
    expect(fromJsonl.badRows).toEqual([]);
    expect(fromJsonl.titles.map((t) => t.title)).toEqual(small);

    const { movies } = await writeMovieLens(ml, small);
    const fromMl = await readCatalogDir(ml, { rating: "R" });
    expect(fromMl.badRows).toEqual([]);
    expect(fromMl.titles).toHaveLength(movies);
    const expected = small.filter((t) => t.type === "MOVIE");
    expect(fromMl.titles.map((t) => [t.title.title, t.title.originalTitle, t.title.releaseYear, t.title.genres, t.title.keywords, t.title.externalIds])).toEqual(
      expected.map((t) => [t.title, t.originalTitle, t.releaseYear, t.genres, t.keywords, t.externalIds]),
    );
  });
});
