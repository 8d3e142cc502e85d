import type pg from "pg";
import { withTransaction } from "../../platform/storage/postgres.js";
import { quoteSchema } from "../../platform/storage/schema-name.js";

/**
 * The Postgres search index's tables. They are created by the index itself rather than by a
 * migration because a rebuild creates the same documents and vocabulary tables again as shadows
 * and swaps them in: one definition serves both.
 */

/** Every name a query writes, qualified with the service's schema. */
export interface SearchTables {
  schema: string;
  documents: string;
  vocabulary: string;
  tombstones: string;
  writeSeq: string;
  /** `levenshtein_less_equal`, qualified with the schema fuzzystrmatch lives in. */
  levenshtein: string;
}

export const LIVE = { documents: "documents", vocabulary: "vocabulary" } as const;
export const SHADOW = { documents: "documents_next", vocabulary: "vocabulary_next" } as const;

/** Columns a document row carries, in the order `documentRow` gives them. */
export const DOCUMENT_COLUMNS = [
  "content_id", "version", "doc",
  "title_terms", "name_terms", "tag_terms", "description_terms", "all_terms",
  "exact_titles", "phrase_words", "title_length",
  "type", "min_age", "release_year", "language", "rating", "genres", "genres_lc",
  "popularity", "view_count", "average_rating",
] as const;

// Any lock id shared by every process that creates extensions, so two services starting at once
// do not race on CREATE EXTENSION (which fails on the loser instead of waiting).
const EXTENSION_LOCK = 0x5ea6c4;

/** Creates the schema, the extension and the live tables if absent; safe for replicas starting at once. */
export async function ensureSearchTables(pool: pg.Pool, schema: string): Promise<SearchTables> {
  const s = quoteSchema(schema);
  const extensionSchema = await withTransaction(pool, async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock($1)`, [EXTENSION_LOCK]);
    await tx.query(`CREATE EXTENSION IF NOT EXISTS fuzzystrmatch SCHEMA public`);
    await tx.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
    await tx.query(`CREATE SEQUENCE IF NOT EXISTS ${s}.write_seq`);
    await tx.query(`CREATE TABLE IF NOT EXISTS ${s}.tombstones (content_id text PRIMARY KEY, version bigint NOT NULL, seq bigint NOT NULL)`);
    for (const ddl of documentsDdl(s, LIVE.documents)) await tx.query(ddl);
    for (const ddl of vocabularyDdl(s, LIVE.vocabulary)) await tx.query(ddl);
    const res = await tx.query(
      `SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'fuzzystrmatch'`,
    );
    return res.rows[0].nspname as string;
  });
  return {
    schema: s,
    documents: `${s}.${LIVE.documents}`,
    vocabulary: `${s}.${LIVE.vocabulary}`,
    tombstones: `${s}.tombstones`,
    writeSeq: `${s}.write_seq`,
    levenshtein: `"${extensionSchema.replace(/"/g, '""')}".levenshtein_less_equal`,
  };
}

/** One row per indexed title: its term arrays per field weight, filter columns and the document itself. */
export function documentsDdl(s: string, name: string): string[] {
  return [
    `CREATE TABLE IF NOT EXISTS ${s}.${name} (
      content_id text NOT NULL,
      version bigint NOT NULL,
      -- Order of the last write, so a rebuild knows which writes arrived while it ran.
      seq bigint NOT NULL,
      doc jsonb NOT NULL,
      title_terms text[] NOT NULL,
      name_terms text[] NOT NULL,
      tag_terms text[] NOT NULL,
      description_terms text[] NOT NULL,
      all_terms text[] NOT NULL,
      -- comparable() of the title and of the original title, for the exact-title tier.
      exact_titles text[] NOT NULL,
      -- Every value of every text field as phraseWords, values apart (" | "), for the phrase tier.
      phrase_words text NOT NULL,
      title_length integer NOT NULL,
      type text NOT NULL,
      min_age integer NOT NULL,
      release_year integer NOT NULL,
      language text NOT NULL,
      rating text NOT NULL,
      genres text[] NOT NULL,
      genres_lc text[] NOT NULL,
      popularity double precision NOT NULL,
      view_count bigint NOT NULL,
      average_rating double precision NOT NULL,
      CONSTRAINT ${name}_pkey PRIMARY KEY (content_id)
    )`,
    `CREATE INDEX IF NOT EXISTS ${name}_all_terms ON ${s}.${name} USING gin (all_terms) WITH (fastupdate = off)`,
    `CREATE INDEX IF NOT EXISTS ${name}_title_terms ON ${s}.${name} USING gin (title_terms) WITH (fastupdate = off)`,
    `CREATE INDEX IF NOT EXISTS ${name}_popular ON ${s}.${name} (popularity DESC, view_count DESC, average_rating DESC, content_id)`,
  ];
}

/**
 * Every distinct indexed word, so a typed word expands to the few words within its typo budget
 * without scanning documents: by first letter and length, and by the rest after the first letter
 * (typos on the first letter).
 */
export function vocabularyDdl(s: string, name: string): string[] {
  return [
    `CREATE TABLE IF NOT EXISTS ${s}.${name} (
      term text COLLATE "C" NOT NULL,
      first text COLLATE "C" NOT NULL,
      len integer NOT NULL,
      CONSTRAINT ${name}_pkey PRIMARY KEY (term)
    )`,
    `CREATE INDEX IF NOT EXISTS ${name}_first_len ON ${s}.${name} (first, len)`,
    `CREATE INDEX IF NOT EXISTS ${name}_rest ON ${s}.${name} ((substr(term, 2)) COLLATE "C")`,
  ];
}

/** Index and constraint names a table's DDL gives, to rename them when a shadow becomes live. */
export function ownNames(kind: keyof typeof LIVE): { constraints: string[]; indexes: string[] } {
  return kind === "documents"
    ? { constraints: ["pkey"], indexes: ["all_terms", "title_terms", "popular"] }
    : { constraints: ["pkey"], indexes: ["first_len", "rest"] };
}
