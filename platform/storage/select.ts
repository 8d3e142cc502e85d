import path from "node:path";
import type pg from "pg";
import type { Bus } from "../events/bus.js";
import { createNatsBus } from "../events/bus-nats.js";
import { createPostgresBus } from "../events/bus-postgres.js";
import { startEmbeddedPostgres } from "./embedded-postgres.js";
import type { Kv } from "./kv.js";
import { createMemoryKv } from "./kv-memory.js";
import { createRedisKv } from "./kv-redis.js";
import type { Log } from "./log.js";
import { silentLog } from "./log.js";
import type { ObjectStore } from "./objects.js";
import { createFsObjectStore } from "./objects-fs.js";
import { createS3ObjectStore } from "./objects-s3.js";
import { createPool } from "./postgres.js";

/**
 * Picks each storage adapter from the environment: the production engine when its variable is
 * set, the embedded default otherwise. Read once at start-up; every returned value has close().
 *
 *   DATABASE_URL          Postgres                  else embedded Postgres in <data>/postgres
 *   REDIS_URL             Redis                     else in-process memory (one replica)
 *   NATS_URL              NATS JetStream            else the Postgres bus on the service's pool
 *   S3_ENDPOINT           S3 (+ S3_BUCKET, S3_REGION, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY)
 *                                                   else files in <data>/objects
 *   BUS_NAMESPACE         first token of every subject and NATS stream name (default `cinemesh`),
 *                         so several environments can share one NATS or one database
 *   CINEMESH_DATA_DIR     <data> for the embedded defaults (default `.cinemesh`)
 *   EMBEDDED_POSTGRES_PORT  port of the embedded Postgres (default 54329)
 */
export type Env = Record<string, string | undefined>;

export interface OpenOptions {
  /** Service name: Redis key namespace and Postgres application_name. */
  service: string;
  log?: Log;
}

export function dataDir(env: Env): string {
  return path.resolve(env.CINEMESH_DATA_DIR || ".cinemesh");
}

export interface Relational {
  url: string;
  pool: pg.Pool;
  close(): Promise<void>;
}

/**
 * The service's Postgres pool. Without DATABASE_URL this starts an embedded server, which only
 * suits a service run on its own: `npm start` starts one for the whole mesh and passes its
 * DATABASE_URL to every service.
 */
export async function openPostgres(env: Env, options: OpenOptions): Promise<Relational> {
  const log = options.log ?? silentLog;
  if (env.DATABASE_URL) {
    const pool = createPool(env.DATABASE_URL, { applicationName: options.service, log });
    return { url: env.DATABASE_URL, pool, close: () => pool.end() };
  }
  const server = await startEmbeddedPostgres({
    dataDir: path.join(dataDir(env), "postgres"),
    port: embeddedPostgresPort(env),
    log,
  });
  const pool = createPool(server.url, { applicationName: options.service, log });
  return {
    url: server.url,
    pool,
    async close() {
      await pool.end();
      await server.stop();
    },
  };
}

export async function openKv(env: Env, options: OpenOptions): Promise<Kv> {
  if (env.REDIS_URL) return createRedisKv({ url: env.REDIS_URL, namespace: `cinemesh:${options.service}:`, log: options.log });
  return createMemoryKv();
}

/** `pool` carries the embedded bus when NATS_URL is unset; it must be the mesh's shared database. */
export async function openBus(env: Env, pool: pg.Pool, options: OpenOptions): Promise<Bus> {
  const namespace = env.BUS_NAMESPACE || undefined;
  if (env.NATS_URL) return createNatsBus({ url: env.NATS_URL, connectionName: options.service, log: options.log, namespace });
  return createPostgresBus({ pool, log: options.log, namespace });
}

export async function openObjects(env: Env): Promise<ObjectStore> {
  if (env.S3_ENDPOINT) {
    return createS3ObjectStore({
      endpoint: env.S3_ENDPOINT,
      bucket: env.S3_BUCKET || "cinemesh",
      region: env.S3_REGION || undefined,
      accessKeyId: env.S3_ACCESS_KEY_ID || undefined,
      secretAccessKey: env.S3_SECRET_ACCESS_KEY || undefined,
    });
  }
  return createFsObjectStore({ root: path.join(dataDir(env), "objects") });
}

/** Where the embedded Postgres listens: `npm start` starts it there, a lone service too. */
export function embeddedPostgresPort(env: Env): number {
  return parsePort(env.EMBEDDED_POSTGRES_PORT, 54329);
}

function parsePort(value: string | undefined, fallback: number): number {
  if (!value) return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`invalid port ${JSON.stringify(value)}`);
  return port;
}
