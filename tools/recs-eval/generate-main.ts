import path from "node:path";
import { CLI_EXIT, parseCommandLine, runCli, UsageError, wholeNumberOption } from "../cli/command-line.js";
import { generateInteractions, type GenerateOptions } from "./generate.js";
import { writeDataset } from "./write-dataset.js";

const USAGE = `Usage: node dist/tools/recs-eval/generate-main.js DIR [--users N] [--titles N] [--seed S]   (npm run generate:interactions -- DIR)

Writes a synthetic MovieLens dataset (movies.csv, ratings.csv) with planted taste structure for
npm run eval:recs: 20 latent taste groups, titles in one or two of them with genres derived from
theirs, users who like one to three groups and rate mostly those titles, highly. About 100 ratings
per user. The same seed gives the same dataset. Defaults: 1000 users, 2000 titles, seed 1.`;

function parse(argv: string[]): (GenerateOptions & { dir: string }) | undefined {
  const { values: v, positionals } = parseCommandLine(argv, {
    users: { type: "string" },
    titles: { type: "string" },
    seed: { type: "string" },
    help: { type: "boolean", short: "h" },
  });
  if (v.help) return undefined;
  const problems: string[] = [];
  if (positionals.length !== 1) problems.push(positionals.length === 0 ? "DIR is missing" : `one DIR at a time (got ${positionals.length})`);
  const users = wholeNumberOption("--users", v.users, 1, 10_000_000, problems) ?? 1000;
  const titles = wholeNumberOption("--titles", v.titles, 1, 1_000_000, problems) ?? 2000;
  const seed = wholeNumberOption("--seed", v.seed, 0, 2 ** 32 - 1, problems) ?? 1;
  if (problems.length > 0) throw new UsageError(problems.join("\n"));
  return { dir: path.resolve(positionals[0]!), users, titles, seed };
}

async function run({ dir, ...opts }: GenerateOptions & { dir: string }): Promise<number> {
  const data = generateInteractions(opts);
  await writeDataset(dir, data);
  process.stdout.write(`${data.ratings.length} ratings of ${opts.users} users on ${data.movies.length} movies written to ${dir}/ratings.csv, movies.csv\n`);
  return CLI_EXIT.ok;
}

runCli({ parse, usage: USAGE, run });
