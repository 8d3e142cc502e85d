import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";

export interface ManagedProcess {
  name: string;
  child: ChildProcess;
  logFile: string;
  /** Resolves with the exit code when the process ends. */
  exited: Promise<number | null>;
}

/** Starts `node <entry>` with its stdout and stderr appended to `<logDir>/<name>.log`. */
export async function startProcess(name: string, entry: string, env: NodeJS.ProcessEnv, logDir: string): Promise<ManagedProcess> {
  await mkdir(logDir, { recursive: true });
  const logFile = path.join(logDir, `${name}.log`);
  const log = createWriteStream(logFile, { flags: "a" });
  const child = spawn(process.execPath, ["--enable-source-maps", entry], { env, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { name, child, logFile, exited };
}

/** SIGTERM to each, then wait; SIGKILL whatever is still running after `graceMs`. */
export async function stopAll(processes: ManagedProcess[], graceMs: number): Promise<Map<string, number | null>> {
  const codes = new Map<string, number | null>();
  await Promise.all(
    processes.map(async (p) => {
      if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill("SIGTERM");
      const timer = setTimeout(() => p.child.kill("SIGKILL"), graceMs);
      codes.set(p.name, await p.exited);
      clearTimeout(timer);
    }),
  );
  return codes;
}
