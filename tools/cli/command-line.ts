import { parseArgs, type ParseArgsConfig } from "node:util";

/**
 * What every command-line tool here shares: the exit codes, usage errors, the edge and token
 * options and how a main() ends. Each tool keeps its own options and usage text.
 */

/** Exit codes every tool uses; a tool may add its own (the importer's 3). */
export const CLI_EXIT = { ok: 0, failed: 1, usage: 2, interrupted: 130 } as const;

export class UsageError extends Error {
  override name = "UsageError";
}

type Env = Record<string, string | undefined>;

/** node:util's parseArgs as every tool calls it (positionals allowed, unknown options refused), its complaints as UsageError. */
export function parseCommandLine<const O extends NonNullable<ParseArgsConfig["options"]>>(argv: string[], options: O) {
  try {
    return parseArgs({ args: argv, allowPositionals: true, strict: true, options });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/** The edge's base URL without a trailing slash: --edge, else CINEMESH_EDGE, else the local edge; a problem when it is not http(s). */
export function edgeOption(flag: string | undefined, env: Env, problems: string[]): string {
  const edge = (flag ?? env.CINEMESH_EDGE ?? "http://127.0.0.1:8080").replace(/\/+$/, "");
  if (!/^https?:\/\/[^/]+/.test(edge)) problems.push(`--edge ${JSON.stringify(edge)}: expected an http(s) URL`);
  return edge;
}

/** An admin's access token: --token, else CINEMESH_TOKEN (which keeps it out of shell history); "" when neither. */
export function tokenOption(flag: string | undefined, env: Env): string {
  return flag ?? env.CINEMESH_TOKEN ?? "";
}

export interface Cli<A> {
  /** `undefined` when help was asked for; throws UsageError on bad input. */
  parse(argv: string[], env: Env): A | undefined;
  usage: string;
  /** Resolves to the exit code. */
  run(args: A): Promise<number>;
}

/**
 * Runs a tool's main: bad usage prints the problem and the usage (exit 2), --help the usage (exit
 * 0), anything thrown "error: …" (exit 1); otherwise the exit code `run` resolves to.
 */
export function runCli<A>(cli: Cli<A>): void {
  const main = async (): Promise<number> => {
    let args: A | undefined;
    try {
      args = cli.parse(process.argv.slice(2), process.env);
    } catch (err) {
      if (!(err instanceof UsageError)) throw err;
      process.stderr.write(`${err.message}\n\n${cli.usage}\n`);
      return CLI_EXIT.usage;
    }
    if (args === undefined) {
      process.stdout.write(`${cli.usage}\n`);
      return CLI_EXIT.ok;
    }
    return cli.run(args);
  };
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = CLI_EXIT.failed;
    },
  );
}

/** Aborted by the first SIGINT or SIGTERM (after `onInterrupt`), so a tool can stop what it started instead of dying mid-way. */
export function interruptSignal(onInterrupt?: () => void): AbortSignal {
  const interrupt = new AbortController();
  const onSignal = () => {
    onInterrupt?.();
    interrupt.abort();
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  return interrupt.signal;
}

/** A whole-number option within [min, max]; undefined when absent or wrong (then a problem says so). */
export function wholeNumberOption(flag: string, raw: string | undefined, min: number, max: number, problems: string[]): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < min || n > max) {
    problems.push(`${flag} ${JSON.stringify(raw)}: expected a whole number from ${min} to ${max}`);
    return undefined;
  }
  return n;
}

/** How a tool proves it is an admin: a token as given, or an account to log in with. */
export type AdminAuth = { token: string } | { email: string; password: string };

/** --token / CINEMESH_TOKEN, else the CINEMESH_ADMIN_EMAIL and CINEMESH_ADMIN_PASSWORD account; a problem when there is neither. */
export function adminAuthOption(flag: string | undefined, env: Env, problems: string[]): AdminAuth {
  const token = tokenOption(flag, env);
  if (token !== "") return { token };
  const email = env.CINEMESH_ADMIN_EMAIL ?? "";
  const password = env.CINEMESH_ADMIN_PASSWORD ?? "";
  if (email === "" || password === "") problems.push("an admin is required: --token (or CINEMESH_TOKEN), or CINEMESH_ADMIN_EMAIL and CINEMESH_ADMIN_PASSWORD");
  return { email, password };
}
