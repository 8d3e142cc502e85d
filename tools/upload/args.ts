import { homedir } from "node:os";
import path from "node:path";
import { edgeOption, parseCommandLine, tokenOption, UsageError, wholeNumberOption } from "../cli/command-line.js";

export interface UploadArgs {
  /** Base URL of the edge gateway, without a trailing slash. */
  edge: string;
  /** An admin's access token. */
  token: string;
  contentId: string;
  /** Both set for an episode, both unset for a movie's feature. */
  season: number | undefined;
  episode: number | undefined;
  /** Episode title, when the upload creates a new episode. */
  title: string;
  file: string;
  chunkBytes: number;
  /** The file remembering unfinished uploads, so that running the same command again resumes. */
  stateFile: string;
  /** Follow the encoding job after the upload (default) or stop once the bytes are in. */
  watch: boolean;
}

export const USAGE = `Usage: node dist/tools/upload/main.js --content <contentId> [--season N --episode N] [options] <file>

Uploads a video source for a title (the movie itself, or an episode with --season and --episode),
resumably, then shows the encoding job's progress per rendition until it completes or fails.
Interrupted? Run the same command again: the upload resumes where the server has it.

Options:
  --edge <url>         edge gateway (env CINEMESH_EDGE, default http://127.0.0.1:8080)
  --token <token>      an admin's access token (env CINEMESH_TOKEN; the env keeps it out of shell history)
  --content <uuid>     the title the video belongs to
  --season <n>         season number (with --episode)
  --episode <n>        episode number (with --season)
  --title <text>       episode title, if the upload creates the episode
  --chunk-size <MiB>   bytes per PATCH request (default 8)
  --state <file>       where unfinished uploads are remembered (default ~/.cinemesh/uploads.json)
  --no-watch           exit once the upload is complete instead of following the encoding job
  -h, --help           this text

Exit codes: 0 job completed (or upload done with --no-watch), 1 upload or job failed, 2 bad usage,
130 interrupted (re-run to resume).`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Parses the command line; `undefined` means help was asked for. Throws UsageError on bad input. */
export function parseUploadArgs(argv: string[], env: Record<string, string | undefined> = {}): UploadArgs | undefined {
  const { values: v, positionals } = parseCommandLine(argv, {
    edge: { type: "string" },
    token: { type: "string" },
    content: { type: "string" },
    season: { type: "string" },
    episode: { type: "string" },
    title: { type: "string" },
    "chunk-size": { type: "string" },
    state: { type: "string" },
    "no-watch": { type: "boolean" },
    help: { type: "boolean", short: "h" },
  });
  if (v.help) return undefined;

  const problems: string[] = [];
  const edge = edgeOption(v.edge, env, problems);
  const token = tokenOption(v.token, env);
  if (token === "") problems.push("an admin token is required: --token or CINEMESH_TOKEN");
  const contentId = v.content ?? "";
  if (!UUID.test(contentId)) problems.push(contentId === "" ? "--content is required" : `--content ${JSON.stringify(contentId)}: expected a UUID`);
  const season = wholeNumberOption("--season", v.season, 1, 1000, problems);
  const episode = wholeNumberOption("--episode", v.episode, 1, 10000, problems);
  if ((season === undefined) !== (episode === undefined) && !problems.some((p) => p.startsWith("--season") || p.startsWith("--episode"))) {
    problems.push("--season and --episode go together (an episode), or neither (a movie)");
  }
  const chunkMiB = wholeNumberOption("--chunk-size", v["chunk-size"], 1, 1024, problems) ?? 8;
  if (positionals.length !== 1) problems.push(positionals.length === 0 ? "the file to upload is missing" : `one file at a time (got ${positionals.length})`);
  if (problems.length > 0) throw new UsageError(problems.join("\n"));

  return {
    edge,
    token,
    contentId,
    season,
    episode,
    title: v.title ?? "",
    file: path.resolve(positionals[0]),
    chunkBytes: chunkMiB * 1024 * 1024,
    stateFile: path.resolve(v.state ?? path.join(homedir(), ".cinemesh", "uploads.json")),
    watch: !v["no-watch"],
  };
}
