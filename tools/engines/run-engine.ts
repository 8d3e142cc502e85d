import { spawn } from "node:child_process";
import { chown, cp, mkdir, open, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { connect } from "node:net";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { EngineSpec, ReadyCheck } from "./engine-spec.js";

const PID_FILE = "engine.pid";

export interface StartOptions {
  /** The engine must answer its ready check within this time, or the start fails. */
  timeoutMs: number;
  log: (line: string) => void;
}

/**
 * Starts the engine in the background (its own process group, output to its log file) and resolves
 * once its ready check passes. A process that exits, or is not up in time, fails the start with the
 * last lines it logged; one not up in time is killed first. The pid is kept in `cwd` for `stopEngine`.
 */
export async function startEngine(spec: EngineSpec, opts: StartOptions): Promise<{ pid: number }> {
  await prepare(spec);
  const log = await open(spec.logFile, "a");
  const child = spawn(spec.command, spec.args, {
    cwd: spec.cwd,
    env: { ...process.env, ...spec.env },
    detached: true,
    stdio: ["ignore", log.fd, log.fd],
    uid: spec.runAs?.uid,
    gid: spec.runAs?.gid,
  });
  await log.close();
  let exit: string | undefined;
  child.on("exit", (code, signal) => (exit = signal ?? `exit code ${code}`));
  child.on("error", (err) => (exit = err.message));
  child.unref();
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${spec.name}: could not start ${spec.command}: ${await lastLines(spec.logFile)}`);
  await writeFile(join(spec.cwd, PID_FILE), `${pid}\n`);

  const started = Date.now();
  opts.log(`${spec.name}: started (pid ${pid}), waiting up to ${Math.round(opts.timeoutMs / 1000)} s for it to answer`);
  while (Date.now() - started < opts.timeoutMs) {
    if (exit !== undefined) throw new Error(`${spec.name} stopped while starting (${exit}). Last lines of ${spec.logFile}:\n${await lastLines(spec.logFile)}`);
    if (await isReady(spec.ready)) {
      opts.log(`${spec.name}: up after ${Math.round((Date.now() - started) / 1000)} s`);
      return { pid };
    }
    await sleep(1000);
  }
  killGroup(pid, "SIGKILL");
  throw new Error(
    `${spec.name} was not up within ${Math.round(opts.timeoutMs / 1000)} s (${describe(spec.ready)}); killed it. Last lines of ${spec.logFile}:\n${await lastLines(spec.logFile)}`,
  );
}

/** Stops the engine started in `runDir` (TERM, then KILL after `graceMs`) and removes the directory. */
export async function stopEngine(runDir: string, graceMs = 30_000): Promise<void> {
  const pid = Number((await readFile(join(runDir, PID_FILE), "utf8").catch(() => "")).trim());
  if (Number.isInteger(pid) && pid > 0 && killGroup(pid, "SIGTERM")) {
    const since = Date.now();
    while (Date.now() - since < graceMs && killGroup(pid, 0)) await sleep(200);
    killGroup(pid, "SIGKILL");
  }
  await rm(runDir, { recursive: true, force: true });
}

async function prepare(spec: EngineSpec): Promise<void> {
  await mkdir(spec.cwd, { recursive: true });
  for (const dir of spec.directories) await mkdir(dir, { recursive: true });
  for (const { from, to } of spec.copies) await cp(from, to, { recursive: true });
  for (const { path, content } of spec.files) await writeFile(path, content);
  if (spec.runAs !== undefined) await chownTree(spec.cwd, spec.runAs.uid, spec.runAs.gid);
}

async function chownTree(dir: string, uid: number, gid: number): Promise<void> {
  await chown(dir, uid, gid);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await chownTree(path, uid, gid);
    else await chown(path, uid, gid);
  }
}

/** Signals the process group; false when it no longer exists. */
function killGroup(pid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

async function isReady(check: ReadyCheck): Promise<boolean> {
  if (check.kind === "tcp") {
    return new Promise((resolve) => {
      const socket = connect({ host: check.host, port: check.port });
      const done = (ok: boolean) => {
        socket.destroy();
        resolve(ok);
      };
      socket.once("connect", () => done(true));
      socket.once("error", () => done(false));
      socket.setTimeout(2000, () => done(false));
    });
  }
  try {
    const res = await fetch(check.url, { signal: AbortSignal.timeout(2000) });
    return res.ok && check.accept(await res.json());
  } catch {
    return false;
  }
}

function describe(check: ReadyCheck): string {
  return check.kind === "tcp" ? `no connection on ${check.host}:${check.port}` : `no healthy answer from ${check.url}`;
}

/** The log's last lines, each cut short (Cassandra logs its whole configuration as one line). */
async function lastLines(file: string, count = 25, width = 400): Promise<string> {
  const text = await readFile(file, "utf8").catch(() => "");
  const lines = text.trimEnd().split("\n").slice(-count);
  return lines.map((l) => (l.length > width ? `${l.slice(0, width)}…` : l)).join("\n") || "(nothing logged)";
}
