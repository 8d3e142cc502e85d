import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** How a process ended: its exit code, or the signal that ended it (then `code` is null). */
export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ManagedProcess {
  name: string;
  child: ChildProcess;
  logFile: string;
  /** Resolves when the process ends. */
  exited: Promise<ExitStatus>;
  /** Resolves once the process handles SIGTERM (or has ended): signalling it earlier would kill it. */
  started: Promise<void>;
}

const exitWithParent = fileURLToPath(new URL("./exit-with-parent.js", import.meta.url));

/** "code 0", "code 1", "signal SIGKILL". */
export function describeExit({ code, signal }: ExitStatus): string {
  return signal ? `signal ${signal}` : `code ${code}`;
}

export function exitedCleanly({ code, signal }: ExitStatus): boolean {
  return code === 0 && signal === null;
}

/**
 * Starts `node <entry>` with its stdout and stderr appended to `<logDir>/<name>.log`, in its own
 * process group (a terminal's Ctrl-C reaches the launcher only, which stops the children in
 * order) and tied to the launcher by an IPC channel (the child stops itself when it closes).
 */
export async function startProcess(name: string, entry: string, env: NodeJS.ProcessEnv, logDir: string): Promise<ManagedProcess> {
  await mkdir(logDir, { recursive: true });
  const logFile = path.join(logDir, `${name}.log`);
  const log = createWriteStream(logFile, { flags: "a" });
  const child = spawn(process.execPath, ["--enable-source-maps", "--import", exitWithParent, entry], {
    env,
    stdio: ["ignore", "pipe", "pipe", "ipc"],
    detached: true,
  });
  child.channel?.unref();
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const exited = new Promise<ExitStatus>((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  const started = new Promise<void>((resolve) => {
    child.once("message", () => resolve());
    child.once("exit", () => resolve());
  });
  return { name, child, logFile, exited, started };
}

/**
 * Stops the processes tier by tier (each tier's processes together, SIGTERM, then the next tier),
 * SIGKILLing whatever still runs at `deadline`. A process still starting is signalled once it
 * handles SIGTERM. Resolves with how each ended.
 */
export async function stopInOrder(tiers: readonly (readonly ManagedProcess[])[], deadline: number): Promise<Map<string, ExitStatus>> {
  const statuses = new Map<string, ExitStatus>();
  for (const tier of tiers) {
    await Promise.all(
      tier.map(async (p) => {
        const timer = setTimeout(() => p.child.kill("SIGKILL"), Math.max(0, deadline - Date.now()));
        await p.started;
        if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill("SIGTERM");
        statuses.set(p.name, await p.exited);
        clearTimeout(timer);
      }),
    );
  }
  return statuses;
}
