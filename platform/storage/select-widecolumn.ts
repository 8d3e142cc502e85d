import type pg from "pg";
import { EnvReader, type Env } from "../config.js";
import type { Log } from "./log.js";
import { WIDE_COLUMN_NAME, type WideColumnStore } from "./widecolumn.js";
import { createPostgresWideColumn } from "./widecolumn-postgres.js";
import { createScyllaWideColumn } from "./widecolumn-scylla.js";

export interface WideColumnConfig {
  scylla?: { contactPoints: string[]; keyspace: string; localDataCenter: string; replicationFactor: number };
}

/**
 * Reads the wide-column settings (validated together, every problem at once):
 *
 *   SCYLLA_CONTACT_POINTS      comma list of host[:port]: ScyllaDB; unset: Postgres tables
 *   SCYLLA_KEYSPACE            keyspace, created if absent (default `cinemesh`)
 *   SCYLLA_LOCAL_DC            datacenter for LOCAL_QUORUM (default `datacenter1`)
 *   SCYLLA_REPLICATION_FACTOR  SimpleStrategy RF when the keyspace is created (default 1)
 */
export function readWideColumnConfig(env: Env): WideColumnConfig {
  const r = new EnvReader(env);
  const points = (r.optional("SCYLLA_CONTACT_POINTS") ?? "")
    .split(",")
    .map((p) => p.trim())
    .filter((p) => p !== "");
  const keyspace = r.string("SCYLLA_KEYSPACE", "cinemesh");
  if (!WIDE_COLUMN_NAME.test(keyspace)) r.problem(`SCYLLA_KEYSPACE=${keyspace}: use [a-z][a-z0-9_]{0,47}`);
  const localDataCenter = r.string("SCYLLA_LOCAL_DC", "datacenter1");
  const replicationFactor = r.int("SCYLLA_REPLICATION_FACTOR", 1, 1, 99);
  r.done();
  return points.length === 0 ? {} : { scylla: { contactPoints: points, keyspace, localDataCenter, replicationFactor } };
}

/**
 * The service's wide-column store: ScyllaDB when SCYLLA_CONTACT_POINTS is set, else tables in the
 * service's Postgres `schema` on its own pool (which the store borrows and does not close).
 */
export async function openWideColumn(env: Env, options: { pool: pg.Pool; schema: string; log?: Log }): Promise<WideColumnStore> {
  const { scylla } = readWideColumnConfig(env);
  if (scylla !== undefined) return createScyllaWideColumn({ ...scylla, log: options.log });
  return createPostgresWideColumn({ pool: options.pool, schema: options.schema });
}
