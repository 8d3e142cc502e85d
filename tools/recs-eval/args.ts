import path from "node:path";
import { parseCommandLine, UsageError, wholeNumberOption } from "../cli/command-line.js";
import { DEFAULT_LAMBDA } from "./ease.js";
import { SOLVERS, type SolverName } from "./spd-inverse.js";

export interface EvalArgs {
  dir: string;
  lambda: number;
  solver: SolverName;
  /** Where to write the numbers as JSON, if anywhere. */
  json: string | undefined;
  /** Also run the service end to end (through-edge.ts), on a mesh at this port offset. */
  endToEnd: { portOffset: number } | undefined;
}

export const USAGE = `Usage: node dist/tools/recs-eval/main.js DIR [options]   (npm run eval:recs -- DIR)

Evaluates services/recommendation/ranking offline against popularity and EASE^R on a MovieLens
directory (ratings.csv, movies.csv). Ratings of 3.5 and more are positives; each user with at least
5 of them has their latest 20 % held back as test; everything else trains. Reports Recall@10,
NDCG@10 and catalog coverage of each recommender's top 10 (titles rated in train left out), the
time each took, and whether ours meets the targets (Recall@10 ≥ EASE^R's and ≥ 1.7 × popularity's,
coverage ≥ 0.08). Generate a dataset with npm run generate:interactions.

Options:
  --lambda <λ>        EASE^R's L2 regularisation (default ${DEFAULT_LAMBDA})
  --solver <name>     how EASE^R inverts XᵀX + λI: cholesky (default) or ml-matrix (LU, slower)
  --end-to-end        also the second mode: import the train part into a mesh like npm start's
                      (titles, members, ratings through the edge), let the service rebuild, and
                      read every test user's top ten through the edge (several minutes)
  --port-offset <n>   where that mesh listens: every port moved by n (default 600)
  --json <file>       also write the numbers to file
  -h, --help          this text`;

export function parseEvalArgs(argv: string[]): EvalArgs | undefined {
  const { values: v, positionals } = parseCommandLine(argv, {
    lambda: { type: "string" },
    solver: { type: "string" },
    json: { type: "string" },
    "end-to-end": { type: "boolean" },
    "port-offset": { type: "string" },
    help: { type: "boolean", short: "h" },
  });
  if (v.help) return undefined;
  const problems: string[] = [];
  if (positionals.length !== 1) problems.push(positionals.length === 0 ? "DIR is missing" : `one DIR at a time (got ${positionals.length})`);
  const lambda = v.lambda === undefined ? DEFAULT_LAMBDA : Number(v.lambda);
  if (!(v.lambda === undefined || (v.lambda.trim() !== "" && lambda > 0 && Number.isFinite(lambda)))) problems.push(`--lambda ${JSON.stringify(v.lambda)}: expected a positive number`);
  const solver = v.solver ?? "cholesky";
  if (!(solver in SOLVERS)) problems.push(`--solver ${JSON.stringify(solver)}: expected ${Object.keys(SOLVERS).join(" or ")}`);
  const portOffset = wholeNumberOption("--port-offset", v["port-offset"], 0, 20_000, problems) ?? 600;
  if (problems.length > 0) throw new UsageError(problems.join("\n"));
  return {
    dir: path.resolve(positionals[0]!),
    lambda,
    solver: solver as SolverName,
    json: v.json === undefined ? undefined : path.resolve(v.json),
    endToEnd: v["end-to-end"] ? { portOffset } : undefined,
  };
}
