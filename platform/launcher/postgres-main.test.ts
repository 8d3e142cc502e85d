import { spawn } from "node:child_process";
import { chmod, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

/** The launcher's Postgres process, compiled (dist/, built by the test run's global setup) and started as the launcher starts it. */
describe("the launcher's Postgres process", () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    it(`exits 0 on ${signal} only once the server is gone, nothing of it left running`, async () => {
      const dir = await mkdtemp(path.join(os.tmpdir(), "cinemesh-pg-main-"));
      dirs.push(dir);
      // As root, Postgres runs as the postgres user and must get in.
      await chmod(dir, 0o755);
      const dataDir = path.join(dir, "postgres");
      const child = spawn(process.execPath, ["--import", "./dist/platform/launcher/exit-with-parent.js", "dist/platform/launcher/postgres-main.js"], {
        env: { ...process.env, LAUNCHER_POSTGRES_DIR: dataDir, LAUNCHER_POSTGRES_PORT: String(6600 + (signal === "SIGINT" ? 1 : 0)) },
        stdio: ["ignore", "inherit", "inherit", "ipc"],
        detached: true,
      });
      const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
      const url = await new Promise<string>((resolve, reject) => {
        child.on("message", (m: { url?: string }) => m.url && resolve(m.url));
        void exited.then((code) => reject(new Error(`exited with ${code} before it was ready`)));
      });
      expect(url).toMatch(/^postgres:\/\//);
      child.kill(signal);
      expect(await exited).toBe(0);
      expect(await processesOf(dataDir)).toEqual([]);
    }, 120_000);
  }
});

/** Live processes whose command line names the data directory (the postmaster shows it; its children until they rename themselves). */
async function processesOf(dataDir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, "utf8").catch(() => "");
    if (cmdline.split("\0").includes(dataDir)) found.push(`${entry} ${cmdline.replaceAll("\0", " ")}`);
  }
  return found;
}
