import type pg from "pg";
import { withTransaction } from "../../platform/storage/postgres.js";
import type { SearchDocument } from "./index.js";
import { documentPlaceholders, documentRow, INSERT_COLUMNS, rowTerms, UPDATE_FROM_EXCLUDED } from "./postgres-rows.js";
import { documentsDdl, LIVE, ownNames, SHADOW, vocabularyDdl, type SearchTables } from "./postgres-schema.js";
import { addToVocabulary } from "./postgres-writes.js";

/**
 * Rebuilds into shadow tables while searches and writes go on against the live ones, then, in
 * one transaction that holds writes back for a moment (searches keep reading), merges the writes
 * that arrived meanwhile (newer versions win, tombstones hold) and renames the shadows into place.
 */
export async function rebuildFrom(pool: pg.Pool, t: SearchTables, source: AsyncIterable<SearchDocument[]>): Promise<number> {
  const s = t.schema;
  const shadow = { documents: `${s}.${SHADOW.documents}`, vocabulary: `${s}.${SHADOW.vocabulary}` };
  const owner = await pool.connect();
  let broken: Error | undefined;
  try {
    // One rebuild at a time: a second waits for the first, then rebuilds again from its own source.
    await owner.query(`SELECT pg_advisory_lock(hashtextextended($1, 0))`, [`${s}:rebuild`]);
    try {
      await dropShadows(owner, shadow);
      for (const ddl of [...documentsDdl(s, SHADOW.documents), ...vocabularyDdl(s, SHADOW.vocabulary)]) await owner.query(ddl);
      const since = await startMark(owner, t);
      for await (const batch of source) await fillShadow(pool, t, shadow, batch);
      const count = await swapIn(owner, t, shadow, since);
      return count;
    } catch (err) {
      await dropShadows(owner, shadow).catch(() => undefined);
      throw err;
    } finally {
      await owner.query(`SELECT pg_advisory_unlock(hashtextextended($1, 0))`, [`${s}:rebuild`]);
    }
  } catch (err) {
    broken = err as Error;
    throw err;
  } finally {
    owner.release(broken);
  }
}

/** The write sequence once every write in flight has committed: later writes are merged at the swap. */
async function startMark(db: pg.ClientBase, t: SearchTables): Promise<number> {
  await db.query("BEGIN");
  try {
    await db.query(`LOCK TABLE ${t.documents} IN EXCLUSIVE MODE`);
    const res = await db.query(`SELECT nextval('${t.writeSeq}') AS seq`);
    await db.query("COMMIT");
    return Number(res.rows[0].seq);
  } catch (err) {
    await db.query("ROLLBACK");
    throw err;
  }
}

/** Rows per INSERT: Postgres takes at most 65,535 parameters a statement. */
const ROWS_PER_INSERT = 1000;

async function fillShadow(pool: pg.Pool, t: SearchTables, shadow: { documents: string; vocabulary: string }, batch: SearchDocument[]): Promise<void> {
  // One INSERT cannot update a row twice: of a title given twice, the newer version stays.
  const newest = new Map<string, SearchDocument>();
  for (const doc of batch) if ((newest.get(doc.contentId)?.version ?? -Infinity) < doc.version) newest.set(doc.contentId, doc);
  const rows = [...newest.values()].map(documentRow);
  for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
    const chunk = rows.slice(start, start + ROWS_PER_INSERT);
    const width = chunk[0]!.length;
    const values = chunk.map((_, i) => `(${documentPlaceholders(i * width + 1, `nextval('${t.writeSeq}')`)})`).join(", ");
    await withTransaction(pool, async (tx) => {
      await tx.query(
        `INSERT INTO ${shadow.documents} (${INSERT_COLUMNS}) VALUES ${values}
         ON CONFLICT (content_id) DO UPDATE SET ${UPDATE_FROM_EXCLUDED} WHERE ${shadow.documents}.version < EXCLUDED.version`,
        chunk.flat(),
      );
      await addToVocabulary(tx, shadow.vocabulary, [...new Set(chunk.flatMap(rowTerms))].sort());
    });
  }
}

async function swapIn(db: pg.ClientBase, t: SearchTables, shadow: { documents: string; vocabulary: string }, since: number): Promise<number> {
  const s = t.schema;
  await db.query("BEGIN");
  try {
    const counted = await db.query(`SELECT count(*)::int AS n FROM ${shadow.documents}`);
    // The order writers lock in (postgres-writes.ts), so neither waits on the other in a circle.
    await db.query(`LOCK TABLE ${t.documents}, ${t.tombstones}, ${t.vocabulary} IN EXCLUSIVE MODE`);
    await db.query(
      `INSERT INTO ${shadow.documents} (${INSERT_COLUMNS}) SELECT ${INSERT_COLUMNS} FROM ${t.documents} WHERE seq > $1
       ON CONFLICT (content_id) DO UPDATE SET ${UPDATE_FROM_EXCLUDED} WHERE ${shadow.documents}.version < EXCLUDED.version`,
      [since],
    );
    await db.query(`DELETE FROM ${shadow.documents} d USING ${t.tombstones} r WHERE r.content_id = d.content_id AND r.version >= d.version`);
    await db.query(
      `INSERT INTO ${shadow.vocabulary} (term, first, len)
       SELECT DISTINCT w, left(w, 1), char_length(w) FROM ${t.documents}, unnest(all_terms) AS w WHERE seq > $1 AND right(w, 1) <> '*'
       ON CONFLICT (term) DO NOTHING`,
      [since],
    );
    // Fresh statistics, so the planner reads the new tables through their indexes from the first query.
    await db.query(`ANALYZE ${shadow.documents}`);
    await db.query(`ANALYZE ${shadow.vocabulary}`);
    for (const kind of ["documents", "vocabulary"] as const) {
      await db.query(`DROP TABLE ${s}.${LIVE[kind]}`);
      await db.query(`ALTER TABLE ${s}.${SHADOW[kind]} RENAME TO ${LIVE[kind]}`);
      const names = ownNames(kind);
      for (const c of names.constraints) await db.query(`ALTER TABLE ${s}.${LIVE[kind]} RENAME CONSTRAINT ${SHADOW[kind]}_${c} TO ${LIVE[kind]}_${c}`);
      for (const i of names.indexes) await db.query(`ALTER INDEX ${s}.${SHADOW[kind]}_${i} RENAME TO ${LIVE[kind]}_${i}`);
    }
    await db.query("COMMIT");
    return counted.rows[0].n;
  } catch (err) {
    await db.query("ROLLBACK").catch(() => undefined);
    throw err;
  }
}

async function dropShadows(db: pg.ClientBase, shadow: { documents: string; vocabulary: string }): Promise<void> {
  await db.query(`DROP TABLE IF EXISTS ${shadow.documents}, ${shadow.vocabulary}`);
}
