/**
 * Search port (interface only; implementations come with the search service).
 *
 * - Elasticsearch (`ELASTICSEARCH_URL`): one index per IndexDefinition; text fields analysed per
 *   language with an edge-n-gram subfield for `suggest`, keyword fields as `keyword` (filters and
 *   terms-aggregation facets), fuzzy matching via `multi_match` with `fuzziness: AUTO`, paging by
 *   `search_after` on (score, id) so deep pages stay cheap.
 * - Postgres (embedded default): one table per index with a weighted `tsvector` generated column
 *   (GIN) for ranking (`ts_rank_cd`), `pg_trgm` similarity for typos and prefix `suggest`,
 *   facets as `GROUP BY` counts over the filtered set, keyset paging on (rank, id).
 *
 * Both sides run one contract suite; ranking may differ between engines, so that suite asserts
 * membership and order only where the query makes it unambiguous.
 */

export type FieldValue = string | number | boolean | Date | string[] | null;

export interface SearchDocument {
  id: string;
  fields: Record<string, FieldValue>;
}

export interface IndexDefinition {
  name: string;
  /** Full-text fields with their relative weight (e.g. title 3, cast 2, synopsis 1). */
  text: { field: string; weight?: number }[];
  /** Exact-match fields usable in filters and facets (genre, maturity rating, language). */
  keyword?: string[];
  /** Numeric or date fields usable in range filters and sorting (year, popularity). */
  numeric?: string[];
  /** The text field `suggest` completes (usually the title). */
  suggestField?: string;
  /** Analyzer language for text fields, e.g. "english". */
  language?: string;
}

export type SearchFilter =
  | { field: string; anyOf: (string | number | boolean)[] }
  | { field: string; range: { gte?: number | Date; lte?: number | Date } };

export interface SearchQuery {
  /** Free text; omitted or empty means "match all" (browse by filters). */
  text?: string;
  /** Tolerate typos in `text`. Default true. */
  fuzzy?: boolean;
  filters?: SearchFilter[];
  /** Keyword fields to count values of, over the filtered result set. */
  facets?: string[];
  /** Default: relevance, then id. */
  sort?: { field: string; order: "asc" | "desc" };
  /** Page size (default 20, at most 100) and the opaque cursor from the previous page. */
  page?: { size?: number; cursor?: string };
}

export interface SearchHit {
  id: string;
  score: number;
  fields: Record<string, FieldValue>;
  /** Matched fragments per field, with matches wrapped in <em>…</em>. */
  highlights?: Record<string, string[]>;
}

export interface SearchResult {
  hits: SearchHit[];
  /** Total matches (may be a lower bound on Elasticsearch beyond 10 000). */
  total: number;
  facets: Record<string, { value: string; count: number }[]>;
  nextCursor?: string;
}

export interface Suggestion {
  id: string;
  text: string;
}

export interface SearchStore {
  /** Creates the index or updates its mapping; idempotent, called at start-up. */
  ensureIndex(definition: IndexDefinition): Promise<void>;
  /** Inserts or replaces documents by id; visible to queries shortly after (near-real-time). */
  index(indexName: string, documents: SearchDocument[]): Promise<void>;
  delete(indexName: string, ids: string[]): Promise<void>;
  query(indexName: string, query: SearchQuery): Promise<SearchResult>;
  /** Completions for what the user has typed so far (prefix and typo tolerant). */
  suggest(indexName: string, prefix: string, options?: { limit?: number; filters?: SearchFilter[] }): Promise<Suggestion[]>;
  close(): Promise<void>;
}
