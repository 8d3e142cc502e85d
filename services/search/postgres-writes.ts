import type pg from "pg";
import { withTransaction } from "../../platform/storage/postgres.js";
import type { SearchDocument } from "./index.js";
import { documentPlaceholders, documentRow, INSERT_COLUMNS, rowTerms, UPDATE_FROM_EXCLUDED } from "./postgres-rows.js";
import type { SearchTables } from "./postgres-schema.js";

/*
 * Writes touch documents, then tombstones, then vocabulary, in that order, the order a rebuild's
 * swap locks them in, so a write and a swap never deadlock. Writes of one title are serialised by
 * an advisory lock, so an upsert and a removal racing each other both see the other's version.
 */

export async function upsertDocument(pool: pg.Pool, t: SearchTables, doc: SearchDocument): Promise<void> {
  const row = documentRow(doc);
  await withTransaction(pool, async (tx) => {
    await lockTitle(tx, t, doc.contentId);
    const res = await tx.query(
      `INSERT INTO ${t.documents} (${INSERT_COLUMNS})
       SELECT ${documentPlaceholders(1, `nextval('${t.writeSeq}')`)}
        WHERE NOT EXISTS (SELECT 1 FROM ${t.tombstones} WHERE content_id = $1 AND version >= $2)
       ON CONFLICT (content_id) DO UPDATE SET ${UPDATE_FROM_EXCLUDED} WHERE ${t.documents}.version < EXCLUDED.version`,
      row,
    );
    if (res.rowCount === 0) return;
    await tx.query(`DELETE FROM ${t.tombstones} WHERE content_id = $1 AND version < $2`, [doc.contentId, doc.version]);
    await addToVocabulary(tx, t.vocabulary, rowTerms(row));
  });
}

export async function removeDocument(pool: pg.Pool, t: SearchTables, contentId: string, version: number): Promise<void> {
  await withTransaction(pool, async (tx) => {
    await lockTitle(tx, t, contentId);
    const held = await tx.query(`SELECT version FROM ${t.documents} WHERE content_id = $1 FOR UPDATE`, [contentId]);
    // A removal older than the title held is a late redelivery: the title was published again since.
    if (held.rowCount !== 0 && Number(held.rows[0].version) > version) return;
    await tx.query(`DELETE FROM ${t.documents} WHERE content_id = $1`, [contentId]);
    await tx.query(
      `INSERT INTO ${t.tombstones} (content_id, version, seq) VALUES ($1, $2, nextval('${t.writeSeq}'))
       ON CONFLICT (content_id) DO UPDATE SET version = EXCLUDED.version, seq = EXCLUDED.seq WHERE ${t.tombstones}.version < EXCLUDED.version`,
      [contentId, version],
    );
  });
}

/** Adds words not yet known; `terms` sorted. */
export async function addToVocabulary(db: pg.ClientBase, table: string, terms: string[]): Promise<void> {
  if (terms.length === 0) return;
  await db.query(
    `INSERT INTO ${table} (term, first, len) SELECT w, left(w, 1), char_length(w) FROM unnest($1::text[]) AS w ON CONFLICT (term) DO NOTHING`,
    [terms],
  );
}

async function lockTitle(tx: pg.ClientBase, t: SearchTables, contentId: string): Promise<void> {
  await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`${t.schema}:${contentId}`]);
}
