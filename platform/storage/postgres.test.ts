import path from "node:path";
import { fileURLToPath } from "node:url";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate } from "./migrate.js";
import { createPool, withTransaction } from "./postgres.js";
import { openTestDatabase, testPostgresKinds, type TestDatabase } from "./testing/test-database.js";

const migrations = path.join(path.dirname(fileURLToPath(import.meta.url)), "testdata", "migrations");

describe.each(testPostgresKinds())("relational storage on $label", ({ kind, skip }) => {
  let db: TestDatabase;
  let pool: pg.Pool;

  beforeAll(async () => {
    if (skip) return;
    db = await openTestDatabase(kind);
    pool = createPool(db.url, { max: 4 });
  }, 60_000);

  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  }, 60_000);

  const tableNames = async (schema: string) =>
    (
      await pool.query<{ table_name: string }>(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name",
        [schema],
      )
    ).rows.map((r) => r.table_name);

  it.skipIf(skip)("creates the service's schema and tables, and a second run is a no-op", async () => {
    const first = await migrate({ connection: db.url, schema: "catalog", dir: migrations });
    expect(first).toEqual(["001_create_titles", "002_add_title_kind"]);
    expect(await tableNames("catalog")).toEqual(["pgmigrations", "titles"]);

    const second = await migrate({ connection: db.url, schema: "catalog", dir: migrations });
    expect(second).toEqual([]);
    const { rows } = await pool.query("SELECT name FROM catalog.pgmigrations ORDER BY id");
    expect(rows.map((r) => r.name)).toEqual(["001_create_titles", "002_add_title_kind"]);
  });

  it.skipIf(skip)("keeps each service's tables and migration history in its own schema", async () => {
    await migrate({ connection: db.url, schema: "library", dir: migrations });
    await migrate({ connection: db.url, schema: "rating", dir: migrations });
    await pool.query("INSERT INTO library.titles (name) VALUES ('only in library')");
    const { rows } = await pool.query("SELECT count(*)::int AS n FROM rating.titles");
    expect(rows[0].n).toBe(0);
    expect(await tableNames("public")).not.toContain("pgmigrations");
  });

  it.skipIf(skip)("lets several processes migrate at once: one applies, the others wait and find nothing to do", async () => {
    const runs = await Promise.all(
      Array.from({ length: 5 }, () => migrate({ connection: db.url, schema: "identity", dir: migrations })),
    );
    expect(runs.filter((r) => r.length > 0)).toEqual([["001_create_titles", "002_add_title_kind"]]);
    expect(await tableNames("identity")).toEqual(["pgmigrations", "titles"]);
  });

  it.skipIf(skip)("rejects a schema name that is not a plain identifier", async () => {
    await expect(migrate({ connection: db.url, schema: 'x"; DROP TABLE y; --', dir: migrations })).rejects.toThrow(
      /invalid schema name/,
    );
  });

  it.skipIf(skip)("commits a transaction that succeeds", async () => {
    await migrate({ connection: db.url, schema: "tx_commit", dir: migrations });
    const id = await withTransaction(pool, async (tx) => {
      const { rows } = await tx.query("INSERT INTO tx_commit.titles (name) VALUES ('Arrival') RETURNING id");
      return rows[0].id as string;
    });
    const { rows } = await pool.query("SELECT name FROM tx_commit.titles WHERE id = $1", [id]);
    expect(rows).toEqual([{ name: "Arrival" }]);
  });

  it.skipIf(skip)("rolls a transaction back when its function throws, and rethrows the error", async () => {
    await migrate({ connection: db.url, schema: "tx_rollback", dir: migrations });
    const failure = new Error("boom");
    await expect(
      withTransaction(pool, async (tx) => {
        await tx.query("INSERT INTO tx_rollback.titles (name) VALUES ('Half written')");
        throw failure;
      }),
    ).rejects.toBe(failure);
    const { rows } = await pool.query("SELECT count(*)::int AS n FROM tx_rollback.titles");
    expect(rows[0].n).toBe(0);
    // The connection went back to the pool usable, not stuck inside the aborted transaction.
    await expect(withTransaction(pool, (tx) => tx.query("SELECT 1"))).resolves.toBeDefined();
  });
});
