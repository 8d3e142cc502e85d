import { readdir } from "node:fs/promises";
import path from "node:path";
import type { Rating } from "./catalog-title.js";
import { MAPPING_BASENAME } from "./mapping-file.js";
import { readJsonlFile } from "./read-jsonl.js";
import { InputFormatError, readMovieLensDir, type ReadResult } from "./read-movielens.js";

export interface CatalogDir extends ReadResult {
  /** Which layouts were found: decides the default mapping file's format. */
  formats: Array<"movielens" | "jsonl">;
  /** A MovieLens ratings.csv is there (read by import-ratings.ts, after the titles). */
  hasRatings: boolean;
}

/**
 * Every title of a directory: the MovieLens layout when movies.csv is there, and every *.jsonl
 * file (by name), in that order. The importer's own mapping file, and `exclude`, are not input.
 */
export async function readCatalogDir(dir: string, opts: { rating: Rating; exclude?: string[] }): Promise<CatalogDir> {
  let names: string[];
  try {
    names = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isFile()).map((e) => e.name).sort();
  } catch (err) {
    throw new InputFormatError(`${dir}: ${(err as Error).message}`);
  }
  const excluded = new Set((opts.exclude ?? []).map((f) => path.resolve(f)));
  const jsonl = names.filter((n) => n.endsWith(".jsonl") && !n.startsWith(`${MAPPING_BASENAME}.`) && !excluded.has(path.resolve(dir, n)));
  const formats: CatalogDir["formats"] = [];
  const result: ReadResult = { titles: [], badRows: [] };
  if (names.includes("movies.csv")) {
    formats.push("movielens");
    const ml = await readMovieLensDir(dir, (n) => names.includes(n), { rating: opts.rating });
    result.titles.push(...ml.titles);
    result.badRows.push(...ml.badRows);
  }
  for (const name of jsonl) {
    if (!formats.includes("jsonl")) formats.push("jsonl");
    const read = await readJsonlFile(path.join(dir, name), { rating: opts.rating });
    result.titles.push(...read.titles);
    result.badRows.push(...read.badRows);
  }
  if (formats.length === 0) throw new InputFormatError(`${dir}: neither movies.csv (MovieLens) nor a *.jsonl file`);
  return { ...result, formats, hasRatings: formats.includes("movielens") && names.includes("ratings.csv") };
}
