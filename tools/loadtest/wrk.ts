import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface LoadResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  /** wrk's Transfer/sec: response bytes, headers included. */
  bytesPerSecond: number;
}

/** Drives `url` with wrk (Debian package `wrk`) and reads its summary. */
export async function wrk(url: string, opts: { connections: number; seconds: number; threads?: number; headers?: Record<string, string>; script?: string }): Promise<LoadResult> {
  const args = ["-t", String(opts.threads ?? 1), "-c", String(opts.connections), "-d", `${opts.seconds}s`, "--latency"];
  for (const [k, v] of Object.entries(opts.headers ?? {})) args.push("-H", `${k}: ${v}`);
  if (opts.script !== undefined) args.push("-s", opts.script);
  const { stdout } = await run("wrk", [...args, url], { maxBuffer: 1 << 20 });
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1]);
  const pct = (p: string) => toMs(new RegExp(`^\\s+${p}%\\s+([\\d.]+)(us|ms|s)`, "m").exec(stdout));
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(stdout)?.[1] ?? 0);
  const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(stdout);
  const errors = non2xx + (socketErrors ? socketErrors.slice(1).reduce((a, b) => a + Number(b), 0) : 0);
  if (!Number.isFinite(rps)) throw new Error(`could not read wrk output:\n${stdout}`);
  const transfer = /Transfer\/sec:\s+([\d.]+)(B|KB|MB|GB)/.exec(stdout);
  const bytesPerSecond = transfer ? Number(transfer[1]) * 1024 ** ["B", "KB", "MB", "GB"].indexOf(transfer[2]!) : Number.NaN;
  return { requestsPerSecond: rps, p50Ms: pct("50"), p99Ms: pct("99"), errors, bytesPerSecond };
}

function toMs(m: RegExpExecArray | null): number {
  if (!m) return Number.NaN;
  const v = Number(m[1]);
  return m[2] === "us" ? v / 1000 : m[2] === "s" ? v * 1000 : v;
}
