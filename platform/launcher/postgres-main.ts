import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { startEmbeddedPostgres } from "../storage/embedded-postgres.js";

/**
 * The launcher's embedded Postgres, in a process of its own started like the services (its own
 * process group, tied to the launcher): a terminal's Ctrl-C then cannot shut the database down
 * under services that are still draining, the launcher stops it last, and it still stops if the
 * launcher is killed. Tells the launcher its URL over IPC once it accepts connections.
 */
const dataDir = process.env.LAUNCHER_POSTGRES_DIR!;
const port = Number(process.env.LAUNCHER_POSTGRES_PORT);
const starting = startEmbeddedPostgres({ dataDir, port, database: "cinemesh" });
let stopping = false;
const stop = (): void => {
  if (stopping) return;
  stopping = true;
  starting.then(
    (pg) => pg.stop().then(reapServer).then(() => process.exit(0)),
    () => process.exit(1),
  );
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
starting.then(
  (pg) => process.send?.({ url: pg.url }),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);

/**
 * Postgres' children call setsid() early on (each leads its own group), and one forked for a
 * connection that was still arriving can outlive the postmaster by a moment; until it renames
 * itself it shows the postmaster's command line, with the data directory in it. Wait for every
 * such process (and anything left in this process's group) to be gone, SIGKILL what is left after a
 * second and wait for that to take effect too, so that nothing of the database outlives "stopped.".
 */
async function reapServer(): Promise<void> {
  const deadline = Date.now() + 1_000;
  let killed = false;
  for (;;) {
    const left = await leftovers();
    if (left.length === 0) return;
    if (!killed && Date.now() > deadline) {
      console.error(`postgres: SIGKILL to what outlived the server: ${left.join(", ")}`);
      for (const pid of left) {
        try {
          process.kill(pid, "SIGKILL");
        } catch {
          // gone meanwhile
        }
      }
      killed = true;
    }
    // A SIGKILLed process is gone once the kernel has torn it down; that is quick unless it is
    // inside a system call, so this ends, but only the process's own disappearance says so.
    if (killed && Date.now() > deadline + 5_000) return;
    await sleep(25);
  }
}

/** Live processes (Linux /proc; none where there is no /proc) in this group or running this cluster. */
async function leftovers(): Promise<number[]> {
  const entries = await readdir("/proc").catch(() => [] as string[]);
  const found: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    const [stat, cmdline] = await Promise.all(["stat", "cmdline"].map((f) => readFile(`/proc/${entry}/${f}`, "utf8").catch(() => "")));
    // pid (comm) state ppid pgrp …: comm may hold spaces and parentheses, so split after the last ")".
    const fields = stat!.slice(stat!.lastIndexOf(")") + 2).split(" ");
    if (fields[0] === "Z" || fields[0] === "X" || stat === "") continue;
    if (Number(fields[2]) === process.pid || cmdline!.split("\0").includes(path.resolve(dataDir))) found.push(Number(entry));
  }
  return found;
}
