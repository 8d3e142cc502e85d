import path from "node:path";
import { adminAuthOption, edgeOption, parseCommandLine, UsageError, wholeNumberOption } from "../cli/command-line.js";
import { ratingOf, type Rating } from "./catalog-title.js";
import type { AdminAuth } from "../cli/command-line.js";

export interface ImportArgs {
  dir: string;
  limit: number | undefined;
  /** Base URL of the edge gateway, without a trailing slash. */
  edge: string;
  auth: AdminAuth;
  concurrency: number;
  mappingFile: string | undefined;
  defaultRating: Rating;
}

export const USAGE = `Usage: node dist/tools/catalog-import/main.js DIR [options]   (npm run import:catalog -- DIR)

Imports the titles in DIR into the catalog, published, through the edge as an admin:
  - the MovieLens layout: movies.csv (movieId,title,genres), and optionally tags.csv (keywords)
    and links.csv (IMDb and TMDB ids);
  - every *.jsonl file: one title per line in the catalog's own fields (see tools/catalog-import/catalog-title.ts).
Titles are recognised by their external ids: what the catalog has already is skipped, so running
the same import again creates nothing. Rows that cannot be read are reported with their line and skipped.

Options:
  --limit <n>            only the first n titles
  --edge <url>           edge gateway (env CINEMESH_EDGE, default http://127.0.0.1:8080)
  --token <token>        an admin's access token (env CINEMESH_TOKEN); otherwise logs in with
                         CINEMESH_ADMIN_EMAIL and CINEMESH_ADMIN_PASSWORD
  --concurrency <n>      titles created at once (default 8)
  --mapping <file>       where to write external id → contentId (default DIR/cinemesh-mapping.csv,
                         .jsonl for a JSON Lines input; a .jsonl name writes JSON Lines)
  --default-rating <r>   age rating of rows without one, e.g. every MovieLens row (default R, so that
                         kids profiles do not see unrated titles)
  -h, --help             this text

Exit codes: 0 all imported (or already there), 1 some titles failed, 2 bad usage,
3 bad rows skipped (everything else imported), 130 interrupted (run again to go on).`;

/** Parses the command line; `undefined` means help was asked for. Throws UsageError on bad input. */
export function parseImportArgs(argv: string[], env: Record<string, string | undefined> = {}): ImportArgs | undefined {
  const { values: v, positionals } = parseCommandLine(argv, {
    limit: { type: "string" },
    edge: { type: "string" },
    token: { type: "string" },
    concurrency: { type: "string" },
    mapping: { type: "string" },
    "default-rating": { type: "string" },
    help: { type: "boolean", short: "h" },
  });
  if (v.help) return undefined;

  const problems: string[] = [];
  if (positionals.length !== 1) problems.push(positionals.length === 0 ? "DIR is missing" : `one DIR at a time (got ${positionals.length})`);
  const edge = edgeOption(v.edge, env, problems);
  const auth = adminAuthOption(v.token, env, problems);
  const limit = wholeNumberOption("--limit", v.limit, 0, Number.MAX_SAFE_INTEGER, problems);
  const concurrency = wholeNumberOption("--concurrency", v.concurrency, 1, 256, problems) ?? 8;
  const defaultRating = ratingOf(v["default-rating"] ?? "R");
  if (defaultRating === undefined) problems.push(`--default-rating ${JSON.stringify(v["default-rating"])}: expected an age rating such as PG_13 or TV_14`);
  if (problems.length > 0) throw new UsageError(problems.join("\n"));

  return {
    dir: path.resolve(positionals[0]),
    limit,
    edge,
    auth,
    concurrency,
    mappingFile: v.mapping === undefined ? undefined : path.resolve(v.mapping),
    defaultRating: defaultRating!,
  };
}
