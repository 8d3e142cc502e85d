import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { generateCatalog } from "./generate.js";
import { importTitle } from "./import-title.js";
import { exitCodeOf, importDirectory, summaryText } from "./run-import.js";
import { MemoryCatalog } from "./testing/memory-catalog.js";
import { writeJsonl } from "./write-catalog.js";

describe("importing a directory", () => {
  let dir: string;
  let stderr: PassThrough;
  let log: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "cinemesh-import-"));
    stderr = new PassThrough();
    log = "";
    stderr.on("data", (c: Buffer) => (log += c.toString()));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const opts = () => ({ dir, concurrency: 4, defaultRating: "R" as const });

  it("creates every title published, with seasons and episodes, then a second run creates nothing and says so", async () => {
    const titles = generateCatalog({ titles: 60, seed: 11, tvShare: 0.3 });
    await writeJsonl(dir, titles);
    const catalog = new MemoryCatalog();

    const first = await importDirectory(opts(), catalog, { stderr });
    expect([first.created, first.existing, first.failed, first.badRows]).toEqual([60, 0, [], []]);
    expect(exitCodeOf(first)).toBe(0);
    expect([...catalog.titles.values()].every((t) => t.published)).toBe(true);
    const show = titles.find((t) => t.type === "TV_SHOW")!;
    const stored = [...catalog.titles.values()].find((t) => t.title.title === show.title)!;
    expect(stored.episodes).toEqual(show.seasons.flatMap((s) => s.episodes.map((e) => `${s.seasonNumber}x${e.episodeNumber}`)));
    expect(first.mappingFile).toBe(path.join(dir, "cinemesh-mapping.jsonl"));
    const mapping = (await readFile(first.mappingFile, "utf8")).trim().split("\n").map((l) => JSON.parse(l));
    expect(mapping).toHaveLength(titles.flatMap((t) => t.externalIds).length);
    expect(catalog.titles.get(mapping[0].contentId)?.title.externalIds).toContainEqual({ source: mapping[0].source, id: mapping[0].id });

    const second = await importDirectory(opts(), catalog, { stderr });
    expect([second.created, second.existing]).toEqual([0, 60]);
    expect(catalog.titles.size).toBe(60);
    expect(summaryText(second)).toContain("nothing to create: all 60 titles are already in the catalog");
    // The mapping still names every title, the existing ones included, and is not read as input.
    expect((await readFile(second.mappingFile, "utf8")).trim().split("\n")).toHaveLength(mapping.length);
  });

  it("imports only the first --limit titles", async () => {
    await writeJsonl(dir, generateCatalog({ titles: 30, seed: 12 }));
    const s = await importDirectory({ ...opts(), limit: 7 }, new MemoryCatalog(), { stderr });
    expect(s.created).toBe(7);
  });

  it("rolls a show back when a step fails, reports it with its line, and exits non-zero", async () => {
    const titles = generateCatalog({ titles: 40, seed: 13, tvShare: 0.5 });
    await writeJsonl(dir, titles);
    const victim = titles.find((t) => t.type === "TV_SHOW" && t.seasons.some((s) => s.episodes.length >= 2))!;
    const catalog = new MemoryCatalog();
    catalog.failOn = (step, t) => t.title === victim.title && step === `season 1 episode 2`;

    const s = await importDirectory(opts(), catalog, { stderr });
    expect(s.created).toBe(39);
    expect(s.failed.map((f) => [f.line, f.reason])).toEqual([[titles.indexOf(victim) + 1, "season 1 episode 2: Internal: season 1 episode 2 refused (the draft was deleted again)"]]);
    expect([...catalog.titles.values()].some((t) => t.title.title === victim.title)).toBe(false);
    expect([...catalog.titles.values()].every((t) => t.published)).toBe(true);
    expect(exitCodeOf(s)).toBe(1);
    expect(log).toContain(`catalog.jsonl:${titles.indexOf(victim) + 1}`);

    // The next run picks up what failed.
    catalog.failOn = undefined;
    const again = await importDirectory(opts(), catalog, { stderr });
    expect([again.created, again.existing, exitCodeOf(again)]).toEqual([1, 39, 0]);
  });

  it("names a draft it could not delete again", async () => {
    const [show] = generateCatalog({ titles: 200, seed: 14, tvShare: 1 });
    const catalog = new MemoryCatalog();
    catalog.failOn = (step) => step === "publish" || step === "delete";
    const outcome = await importTitle(catalog, show);
    expect(outcome).toMatchObject({ kind: "failed", leftover: [...catalog.titles.keys()][0] });
  });

  it("counts ALREADY_EXISTS on create (another importer was faster) as already there, with its id", async () => {
    const [movie] = generateCatalog({ titles: 1, seed: 15, tvShare: 0 });
    const catalog = new MemoryCatalog();
    const theirs = await catalog.createTitle(movie, true);
    expect(await importTitle(catalog, movie)).toEqual({ kind: "existing", contentId: theirs });
  });

  it("reports bad rows with file and line, imports the rest and exits 3", async () => {
    const [good] = generateCatalog({ titles: 1, seed: 16, tvShare: 0 });
    await writeFile(path.join(dir, "a.jsonl"), `${JSON.stringify(good)}\n{"title": "Broken"\n`);
    await writeFile(path.join(dir, "movies.csv"), 'movieId,title,genres\n1,"Matrix, The (1999)",Action|Sci-Fi\n2,No Year,Drama\n');
    const catalog = new MemoryCatalog();
    const s = await importDirectory(opts(), catalog, { stderr });
    expect(s.created).toBe(2);
    expect(s.badRows.map((b) => [path.basename(b.file), b.line])).toEqual([["movies.csv", 3], ["a.jsonl", 2]]);
    expect(log).toContain(`${path.join(dir, "movies.csv")}:3: skipped: no release year`);
    expect(exitCodeOf(s)).toBe(3);
    expect(s.mappingFile).toBe(path.join(dir, "cinemesh-mapping.csv"));
    expect(await readFile(s.mappingFile, "utf8")).toMatch(/^source,id,contentId,email,profileId\nmovielens,1,[0-9a-f-]{36},,\n/);
    expect([...catalog.titles.values()].map((t) => t.title.title)).toContain("The Matrix");
  });
});
