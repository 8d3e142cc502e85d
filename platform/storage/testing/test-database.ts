import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { startEmbeddedPostgres } from "../embedded-postgres.js";
import { createScratchDatabase, type ScratchDatabase } from "../scratch-database.js";
import { freePort } from "./free-port.js";

/** A Postgres database owned by one test file; `drop()` removes every trace of it. */
export type TestDatabase = ScratchDatabase;

export type TestPostgresKind = "embedded" | "DATABASE_URL";

/** The Postgres targets a contract suite runs against: embedded always, the real one when configured. */
export function testPostgresKinds(env: NodeJS.ProcessEnv = process.env): { kind: TestPostgresKind; skip: boolean; label: string }[] {
  return [
    { kind: "embedded", skip: false, label: "embedded postgres" },
    {
      kind: "DATABASE_URL",
      skip: !env.DATABASE_URL,
      label: env.DATABASE_URL ? "postgres at DATABASE_URL" : "postgres at DATABASE_URL (skipped: DATABASE_URL not set)",
    },
  ];
}

export function openTestDatabase(kind: TestPostgresKind): Promise<TestDatabase> {
  return kind === "embedded" ? startTestEmbeddedPostgres() : createScratchDatabase(requiredEnv("DATABASE_URL"));
}

/** A throw-away cluster in a temp dir on a free port. */
async function startTestEmbeddedPostgres(): Promise<TestDatabase> {
  const dir = await mkdtemp(path.join(tmpdir(), "cinemesh-pg-"));
  // The server runs as the `postgres` user, which must be able to reach its data dir.
  await chmod(dir, 0o755);
  const server = await startEmbeddedPostgres({ dataDir: path.join(dir, "data"), port: await freePort() });
  return {
    url: server.url,
    async drop() {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}
