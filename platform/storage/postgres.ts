import pg from "pg";
import type { Log } from "./log.js";
import { silentLog } from "./log.js";

export interface PoolOptions {
  /**
   * Connections per process. Postgres pays a process per connection, so a replica keeps a small
   * pool and scales by replicas; 10 serves a typical gRPC service's concurrency.
   */
  max?: number;
  /** Shown in pg_stat_activity, so an operator can tell which service holds a connection. */
  applicationName?: string;
  /** Server-side cap on any statement, so a runaway query cannot hold a connection forever. */
  statementTimeoutMs?: number;
  log?: Log;
}

/** A connection pool for one Postgres URL. Close it with `pool.end()`. */
export function createPool(url: string, options: PoolOptions = {}): pg.Pool {
  const log = options.log ?? silentLog;
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 10_000,
    application_name: options.applicationName,
    statement_timeout: options.statementTimeoutMs,
    keepAlive: true,
  });
  // An idle client whose server connection dies emits 'error' on the pool; without a listener
  // that would crash the process. The pool drops the client and opens a new one on demand.
  pool.on("error", (err) => log.warn({ err }, "idle postgres connection failed"));
  return pool;
}

/**
 * Runs `fn` inside BEGIN/COMMIT on one pooled connection and rolls back if it throws.
 * The error is rethrown unchanged; the connection is discarded if even ROLLBACK fails.
 */
export async function withTransaction<T>(
  pool: pg.Pool,
  fn: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query("BEGIN");
    const result = await fn(client);
    await client.query("COMMIT");
    return result;
  } catch (err) {
    try {
      await client.query("ROLLBACK");
    } catch (rollbackErr) {
      broken = rollbackErr as Error;
    }
    throw err;
  } finally {
    client.release(broken);
  }
}
