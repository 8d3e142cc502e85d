import { runner } from "node-pg-migrate";
import path from "node:path";
import pg from "pg";
import type { Log } from "./log.js";
import { silentLog } from "./log.js";
import { isSchemaName } from "./schema-name.js";

export interface MigrateOptions {
  /** A URL or client config; the migrator opens (and closes) its own connection. */
  connection: string | pg.ClientConfig;
  /** The service's Postgres schema: created if absent, and the search_path its migrations run in. */
  schema: string;
  /** Folder of `.sql` migrations (`-- Up Migration` / `-- Down Migration` sections), applied in name order. */
  dir: string;
  log?: Log;
}

/**
 * Applies the pending migrations of one service at start-up and returns the names it applied
 * (empty when the schema is already current).
 *
 * Each service owns one schema, and its migrations table lives inside that schema, so services
 * migrate independently. Pending migrations run in one transaction: all or none.
 *
 * Safe when several processes start at once: node-pg-migrate holds a session advisory lock
 * around the whole run; with `advisoryLockMode: "wait"` the others block on it, then find nothing
 * left to do (the default mode, "fail", would make them throw instead). The lock id is the
 * library's single well-known id, so migrations of different schemas also run one at a time;
 * that keeps database-wide statements (CREATE EXTENSION, CREATE SCHEMA) from racing each other.
 */
export async function migrate(options: MigrateOptions): Promise<string[]> {
  if (!isSchemaName(options.schema)) {
    // The runner interpolates the schema into SQL, so only plain identifiers are accepted.
    throw new Error(`invalid schema name ${JSON.stringify(options.schema)}: use lower-case letters, digits and _`);
  }
  const log = options.log ?? silentLog;
  // Our own connection, so it always has an error listener (a server that terminates it, e.g. a
  // forced DROP DATABASE, must not crash the process) and is always closed, whatever the runner does.
  const client = new pg.Client(typeof options.connection === "string" ? { connectionString: options.connection } : options.connection);
  client.on("error", (err) => log.warn({ err, schema: options.schema }, "migration connection failed"));
  await client.connect();
  try {
    return await runMigrations(client, options, log);
  } finally {
    await client.end().catch((err: unknown) => log.warn({ err, schema: options.schema }, "closing the migration connection failed"));
  }
}

async function runMigrations(client: pg.Client, options: MigrateOptions, log: Log): Promise<string[]> {
  const applied = await runner({
    dbClient: client,
    dir: path.resolve(options.dir),
    schema: options.schema,
    createSchema: true,
    migrationsSchema: options.schema,
    migrationsTable: "pgmigrations",
    direction: "up",
    singleTransaction: true,
    checkOrder: true,
    advisoryLockMode: "wait",
    logger: {
      debug: (msg: string) => log.debug({ schema: options.schema }, msg),
      info: (msg: string) => log.debug({ schema: options.schema }, msg),
      warn: (msg: string) => log.warn({ schema: options.schema }, msg),
      error: (msg: string) => log.error({ schema: options.schema }, msg),
    },
  });
  const names = applied.map((m) => m.name);
  if (names.length > 0) log.info({ schema: options.schema, migrations: names }, "applied migrations");
  return names;
}
