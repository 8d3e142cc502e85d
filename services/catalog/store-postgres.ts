import type pg from "pg";
import { withTransaction } from "../../platform/storage/postgres.js";
import { invalid } from "./errors.js";
import { ContentStatus, type SortKey } from "./model.js";
import type { CatalogStore } from "./store.js";
import { contentStatus, maturityRating } from "./store-postgres-codes.js";
import { externalIdHolders, loadTitles, tables } from "./store-postgres-titles.js";
import { createWriter, type EventWriter } from "./store-postgres-writer.js";

export interface PostgresStoreOptions {
  pool: pg.Pool;
  /** The service's schema (its migrations are applied there). */
  schema: string;
  writeEvent: EventWriter;
}

/** Category page orders; content_id breaks ties so pages never overlap or skip. */
const ORDER_BY: Record<SortKey, string> = {
  popularity: `c.popularity DESC, c.content_id`,
  newest: `c.release_year DESC, c.published_at DESC, c.content_id`,
  rating: `c.average_rating DESC, c.rating_count DESC, c.content_id`,
  // ICU root collation: case and accents sort together ("Amélie" beside "amelie"), on every server.
  title: `c.title COLLATE "und-x-icu", c.content_id`,
};

const PUBLISHED = contentStatus.toDb(ContentStatus.PUBLISHED);

/** The catalog on PostgreSQL: every query of the service is in this file and the two it imports. */
export function createPostgresStore({ pool, schema, writeEvent }: PostgresStoreOptions): CatalogStore {
  const t = tables(schema);
  return {
    loadTitles: (ids) => readSnapshot(pool, (db) => loadTitles(db, t, ids)),

    async categoryEntries(slug, sort) {
      const res =
        slug === undefined
          ? await pool.query(`SELECT c.content_id, c.rating FROM ${t.content} c WHERE c.status = $1 ORDER BY ${ORDER_BY[sort]}`, [PUBLISHED])
          : await pool.query(
              `SELECT c.content_id, c.rating FROM ${t.contentGenres} cg JOIN ${t.content} c USING (content_id)
                WHERE cg.slug = $1 AND c.status = $2 ORDER BY ${ORDER_BY[sort]}`,
              [slug, PUBLISHED],
            );
      return res.rows.map((r) => ({ id: r.content_id, rating: maturityRating.fromDb(r.rating) }));
    },

    async genreRatingCounts() {
      const res = await pool.query(
        `SELECT g.slug, g.name, c.rating, count(*)::int AS count
           FROM ${t.contentGenres} cg JOIN ${t.genres} g USING (slug) JOIN ${t.content} c USING (content_id)
          WHERE c.status = $1 GROUP BY g.slug, g.name, c.rating`,
        [PUBLISHED],
      );
      return res.rows.map((r) => ({ slug: r.slug, name: r.name, rating: maturityRating.fromDb(r.rating), count: r.count }));
    },

    async pageTitles({ status, ratings, offset, limit }) {
      const where = `($1::text IS NULL OR status = $1) AND ($2::text[] IS NULL OR rating = ANY($2))`;
      const filter = [status === undefined ? null : contentStatus.toDb(status), ratings?.map((r) => maturityRating.toDb(r)) ?? null];
      return readSnapshot(pool, async (db) => {
        const total = await db.query(`SELECT count(*)::int AS n FROM ${t.content} WHERE ${where}`, filter);
        const page = await db.query(`SELECT content_id FROM ${t.content} WHERE ${where} ORDER BY updated_at DESC, content_id LIMIT $3 OFFSET $4`, [
          ...filter,
          limit,
          offset,
        ]);
        return { ids: page.rows.map((r) => r.content_id), total: total.rows[0].n };
      });
    },

    async videoOwner(videoId) {
      const res = await pool.query(`SELECT content_id FROM ${t.videos} WHERE video_id = $1`, [videoId]);
      return res.rows[0]?.content_id;
    },

    externalIdHolders: (ids) => externalIdHolders(pool, t, ids),

    async write(fn) {
      try {
        return await withTransaction(pool, (tx) => fn(createWriter(tx, t, writeEvent)));
      } catch (err) {
        throw translate(err);
      }
    },
  };
}

/** Runs reads against one snapshot, so a title is never assembled from two states of the database. */
function readSnapshot<T>(pool: pg.Pool, fn: (db: pg.PoolClient) => Promise<T>): Promise<T> {
  return withTransaction(pool, async (db) => {
    await db.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY");
    return fn(db);
  });
}

/** Input Postgres cannot store is the caller's mistake, not a fault. */
function translate(err: unknown): unknown {
  const code = (err as { code?: unknown }).code;
  // 22021: a NUL character (valid in proto strings, not in Postgres text).
  if (code === "22021") return invalid("text fields must not contain NUL characters");
  return err;
}
