import { randomUUID } from "node:crypto";
import { copyFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate } from "../../platform/storage/migrate.js";
import { createPool } from "../../platform/storage/postgres.js";
import { openTestDatabase, type TestDatabase } from "../../platform/storage/testing/test-database.js";
import { MaturityRating, VideoQuality } from "./model.js";
import { createPostgresStore } from "./store-postgres.js";

const MIGRATIONS = fileURLToPath(new URL("./migrations/", import.meta.url));
const SCHEMA = "catalog";

/** Ratings and qualities are stored the one way every service stores enums (identity: 'PG_13'). */
describe("catalog enum spelling in storage", () => {
  let db: TestDatabase;
  let pool: pg.Pool;
  let firstOnly: string;
  const contentId = randomUUID();
  const videoId = randomUUID();

  beforeAll(async () => {
    db = await openTestDatabase(process.env.DATABASE_URL ? "DATABASE_URL" : "embedded");
    pool = createPool(db.url, { max: 2 });
    // A database as the first release left it, with a title rated the old way ('PG-13', '1080p').
    firstOnly = await mkdtemp(path.join(tmpdir(), "catalog-migrations-"));
    await copyFile(path.join(MIGRATIONS, "0001_catalog.sql"), path.join(firstOnly, "0001_catalog.sql"));
    await migrate({ connection: db.url, schema: SCHEMA, dir: firstOnly });
    await pool.query(`INSERT INTO catalog.content (content_id, title, type, release_year, rating, status) VALUES ($1, 'Harbour Lights', 'MOVIE', 2024, 'PG-13', 'DRAFT')`, [contentId]);
    await pool.query(`INSERT INTO catalog.videos (video_id, content_id, status) VALUES ($1, $2, 'READY')`, [videoId, contentId]);
    await pool.query(
      `INSERT INTO catalog.video_files (file_id, video_id, quality, codec, bitrate, peak_bitrate, resolution, width, height, frame_rate, storage_location, size_bytes)
       VALUES ($1, $2, '1080p', 'h264', 8000000, 9000000, '1920x1080', 1920, 1080, 24, 'v/1080p', 1000)`,
      [randomUUID(), videoId],
    );
    await migrate({ connection: db.url, schema: SCHEMA, dir: MIGRATIONS });
  });

  afterAll(async () => {
    await pool?.end();
    await db?.drop();
    if (firstOnly) await rm(firstOnly, { recursive: true, force: true });
  });

  it("rewrites the rows stored before to the one spelling, and reads them back", async () => {
    const stored = await pool.query(`SELECT c.rating, f.quality FROM catalog.content c JOIN catalog.videos v USING (content_id) JOIN catalog.video_files f USING (video_id)`);
    expect(stored.rows).toEqual([{ rating: "PG_13", quality: "VIDEO_QUALITY_1080P" }]);

    const store = createPostgresStore({ pool, schema: SCHEMA, writeEvent: async () => {} });
    const title = (await store.loadTitles([contentId])).get(contentId);
    expect(title?.rating).toBe(MaturityRating.PG_13);
    expect(title?.feature?.renditions.map((r) => r.quality)).toEqual([VideoQuality.VIDEO_QUALITY_1080P]);
  });

  it("accepts only the one spelling from now on", async () => {
    const insert = (rating: string) =>
      pool.query(`INSERT INTO catalog.content (content_id, title, type, release_year, rating, status) VALUES ($1, 'Skyline Heist', 'MOVIE', 2024, $2, 'DRAFT')`, [randomUUID(), rating]);
    await expect(insert("PG-13")).rejects.toThrow(/content_rating_check/);
    await expect(insert("TV_MA")).resolves.toBeDefined();
  });
});
