import { writeFile } from "node:fs/promises";
import { CLI_EXIT, runCli } from "../cli/command-line.js";
import { parseEvalArgs, USAGE, type EvalArgs } from "./args.js";
import { ease, EASE_NAME } from "./ease.js";
import { ours, oursWithoutGenreRule } from "./ours.js";
import { evaluateThroughEdge } from "./through-edge.js";
import { popularity } from "./popularity.js";
import { readDataset } from "./read-dataset.js";
import { formatReport } from "./report.js";
import { evaluate, K } from "./run-eval.js";
import { SOLVERS } from "./spd-inverse.js";
import { verdict } from "./targets.js";

async function run(args: EvalArgs): Promise<number> {
  const data = await readDataset(args.dir);
  if (data.unknownMovieRatings > 0) process.stderr.write(`${data.unknownMovieRatings} ratings of movies not in movies.csv left out\n`);
  const evaluation = evaluate(data, [ours, oursWithoutGenreRule, popularity, ease(args.lambda, SOLVERS[args.solver])]);
  if (args.endToEnd) evaluation.results.splice(1, 0, await evaluateThroughEdge(data, K, { ...args.endToEnd, log: (line) => process.stderr.write(`${line}\n`) }));
  const v = verdict(evaluation.results, { ours: ours.name, ease: EASE_NAME, popularity: popularity.name });
  process.stdout.write(`${formatReport(evaluation, v)}\n`);
  if (args.json !== undefined) {
    const numbers = { dir: args.dir, k: K, lambda: args.lambda, solver: args.solver, ...evaluation, ...v };
    await writeFile(args.json, `${JSON.stringify(numbers, null, 2)}\n`);
  }
  return CLI_EXIT.ok;
}

runCli({ parse: (argv) => parseEvalArgs(argv), usage: USAGE, run });
