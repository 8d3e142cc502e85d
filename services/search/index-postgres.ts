import type pg from "pg";
import type { SearchIndex } from "./index.js";
import { rebuildFrom } from "./postgres-rebuild.js";
import { ensureSearchTables } from "./postgres-schema.js";
import { searchDocuments } from "./postgres-search.js";
import { suggestFrom } from "./postgres-suggest.js";
import { removeDocument, upsertDocument } from "./postgres-writes.js";

export interface PostgresSearchIndexOptions {
  /** The caller's pool; the index never closes it. */
  pool: pg.Pool;
  /** The search service's schema; created with its tables (and the fuzzystrmatch extension) if absent. */
  schema: string;
}

/**
 * The search index on PostgreSQL, the embedded default. Text is read by text.ts and stored as
 * words per field; the database narrows the vocabulary and the documents, and text.ts decides what
 * matches, so results equal Elasticsearch's under the same contract suite.
 */
export async function openPostgresSearchIndex({ pool, schema }: PostgresSearchIndexOptions): Promise<SearchIndex> {
  const tables = await ensureSearchTables(pool, schema);
  return {
    upsert: (doc) => upsertDocument(pool, tables, doc),
    remove: (contentId, version) => removeDocument(pool, tables, contentId, version),
    search: (query) => searchDocuments(pool, tables, query),
    suggest: (query) => suggestFrom(pool, tables, query),
    rebuild: (source) => rebuildFrom(pool, tables, source),
    close: async () => {},
  };
}
