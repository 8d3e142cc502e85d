import { parseArgs } from "node:util";
import { generateCatalog } from "./generate.js";
import { writeJsonl, writeMovieLens } from "./write-catalog.js";

const USAGE = `Usage: node dist/tools/catalog-import/generate-main.js OUT_DIR [--titles N] [--seed S] [--format jsonl|movielens] [--tv-share F]

Writes a synthetic catalog the importer reads: catalog.jsonl (movies and TV shows with their
seasons and episodes; the default), or movies.csv, tags.csv and links.csv (MovieLens has only movies).
The same seed gives the same catalog. Defaults: 15000 titles, seed 1, tv share 0.2.`;

function main(): Promise<number> | number {
  const { values: v, positionals } = parseArgs({
    args: process.argv.slice(2),
    allowPositionals: true,
    options: {
      titles: { type: "string", default: "15000" },
      seed: { type: "string", default: "1" },
      format: { type: "string", default: "jsonl" },
      "tv-share": { type: "string", default: "0.2" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (v.help) return process.stdout.write(`${USAGE}\n`), 0;
  const titles = Number(v.titles);
  const seed = Number(v.seed);
  const tvShare = Number(v["tv-share"]);
  const problems = [
    positionals.length !== 1 && "OUT_DIR is missing",
    !(Number.isInteger(titles) && titles >= 1 && titles < 1_000_000) && `--titles ${v.titles}: expected 1-999999`,
    !(Number.isInteger(seed) && seed >= 0 && seed <= 2000) && `--seed ${v.seed}: expected a whole number from 0 to 2000 (ids are seed × 1000000 + n)`,
    !(tvShare >= 0 && tvShare <= 1) && `--tv-share ${v["tv-share"]}: expected 0-1`,
    v.format !== "jsonl" && v.format !== "movielens" && `--format ${v.format}: expected jsonl or movielens`,
  ].filter((p): p is string => typeof p === "string");
  if (problems.length > 0) return process.stderr.write(`${problems.join("\n")}\n\n${USAGE}\n`), 2;

  const catalog = generateCatalog({ titles, seed, tvShare });
  const dir = positionals[0];
  if (v.format === "jsonl") {
    return writeJsonl(dir, catalog).then((file) => (process.stdout.write(`${catalog.length} titles written to ${file}\n`), 0));
  }
  return writeMovieLens(dir, catalog).then(({ movies }) => (process.stdout.write(`${movies} movies written to ${dir}/movies.csv, tags.csv, links.csv (TV shows left out)\n`), 0));
}

Promise.resolve(main()).then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
