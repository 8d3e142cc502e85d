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
  /** The password of the accounts made for ratings.csv's users; without it ratings.csv is not imported. */
  password: string | undefined;
  emailDomain: string;
}

export const USAGE = `Usage: node dist/tools/catalog-import/main.js DIR [options]   (npm run import:catalog -- DIR)

Imports the titles in DIR into the catalog, published, through the edge as an admin:
  - the MovieLens layout: movies.csv (movieId,title,genres), and optionally tags.csv (keywords)
    and links.csv (IMDb and TMDB ids);
  - every *.jsonl file: one title per line in the catalog's own fields (see tools/catalog-import/catalog-title.ts).
Titles are recognised by their external ids: what the catalog has already is skipped, so running
the same import again creates nothing. Rows that cannot be read are reported with their line and skipped.
With --password, the MovieLens ratings.csv (userId,movieId,rating,timestamp) follows: one account
with one profile per user (movielens-<userId>@<email domain>), and their ratings, half stars rounded
up onto 1-5 stars, with their original times (a second run finds the accounts and changes nothing).

Options:
  --limit <n>            only the first n titles
  --edge <url>           edge gateway (env CINEMESH_EDGE, default http://127.0.0.1:8080)
  --token <token>        an admin's access token (env CINEMESH_TOKEN); otherwise logs in with
                         CINEMESH_ADMIN_EMAIL and CINEMESH_ADMIN_PASSWORD
  --concurrency <n>      titles created at once (default 8)
  --mapping <file>       where to write external id → contentId, and user → e-mail and profile
                         (default DIR/cinemesh-mapping.csv,
                         .jsonl for a JSON Lines input; a .jsonl name writes JSON Lines)
  --default-rating <r>   age rating of rows without one, e.g. every MovieLens row (default R, so that
                         kids profiles do not see unrated titles)
  --password <p>         import ratings.csv, signing its users up with this password
                         (env CINEMESH_IMPORT_PASSWORD)
  --email-domain <d>     the imported accounts' e-mail domain (default movielens.cinemesh.test)
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
    password: { type: "string" },
    "email-domain": { type: "string" },
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
  const password = v.password ?? env.CINEMESH_IMPORT_PASSWORD;
  if (password !== undefined && (password.length < 8 || password.length > 128)) problems.push("--password: 8 to 128 characters, as sign-up requires");
  const emailDomain = v["email-domain"] ?? "movielens.cinemesh.test";
  if (!/^[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(emailDomain)) problems.push(`--email-domain ${JSON.stringify(emailDomain)}: expected a domain such as example.com`);
  if (problems.length > 0) throw new UsageError(problems.join("\n"));

  return {
    dir: path.resolve(positionals[0]),
    limit,
    edge,
    auth,
    concurrency,
    mappingFile: v.mapping === undefined ? undefined : path.resolve(v.mapping),
    defaultRating: defaultRating!,
    password,
    emailDomain,
  };
}
