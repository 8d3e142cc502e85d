import { randomBytes } from "node:crypto";
import type pg from "pg";
import { afterAll, beforeAll, describe } from "vitest";
import { createPool } from "../../platform/storage/postgres.js";
import { openTestDatabase, testPostgresKinds, type TestDatabase } from "../../platform/storage/testing/test-database.js";
import { openPostgresSearchIndex } from "./index-postgres.js";
import { describeSearchIndexContract } from "./testing/index-contract.js";

for (const { kind, skip, label } of testPostgresKinds()) {
  describe(label, () => {
    let db: TestDatabase;
    let pool: pg.Pool;
    beforeAll(async () => {
      if (skip) return;
      db = await openTestDatabase(kind);
      pool = createPool(db.url, { max: 8 });
    }, 120_000);
    afterAll(async () => {
      if (skip) return;
      await pool?.end();
      await db?.drop();
    }, 60_000);

    // Each index in its own schema of the one database, dropped by its cleanup.
    describeSearchIndexContract(
      "postgres",
      async () => {
        const schema = `search_${randomBytes(4).toString("hex")}`;
        const index = await openPostgresSearchIndex({ pool, schema });
        return {
          index,
          async cleanup() {
            await index.close();
            await pool.query(`DROP SCHEMA ${schema} CASCADE`);
          },
        };
      },
      { skip },
    );
  });
}
