/**
 * The search index port: what the search service asks of an engine. Two engines implement it
 * (index-postgres.ts, the embedded default; index-elasticsearch.ts, production) and one contract
 * suite (index.test.ts) runs against both, so relevance is the same whichever is configured.
 *
 * Engines see plain data, never RPC types. Text is normalised by text.ts before it reaches an
 * engine's own matching, so accents, punctuation and articles are handled once for both.
 */

/** What is searchable about one published title. */
export interface SearchDocument {
  contentId: string;
  /**
   * Order of the catalog change this document comes from (ms since the epoch: the title's
   * `updated_at`). An engine keeps the newest version it was given; older writes are ignored.
   */
  version: number;
  title: string;
  /** Title in the original language when it differs; "" otherwise. */
  originalTitle: string;
  cast: string[];
  /** "" when unknown. */
  director: string;
  genres: string[];
  keywords: string[];
  description: string;
  type: ContentKind;
  /** The age rating's REST spelling ("PG_13"), as facets show it. */
  rating: string;
  /** Youngest viewer age the rating suits (platform/domain/maturity.ts); kids caps compare with it. */
  minAge: number;
  /** 0 when unknown. */
  releaseYear: number;
  /** BCP 47 tag of the original language. */
  language: string;
  thumbnailUrl: string;
  /** Ties between equally relevant titles go to the more popular: these three, in this order. */
  popularity: number;
  viewCount: number;
  averageRating: number;
  ratingCount: number;
}

export type ContentKind = "MOVIE" | "TV_SHOW";

export interface SearchFilters {
  /** Titles with at least one of these genres (case-insensitive). */
  genres?: string[];
  type?: ContentKind;
  yearFrom?: number;
  yearTo?: number;
  /** Titles whose minAge is at most this (kids profiles, or the request's max_rating). */
  maxAge?: number;
  language?: string;
}

export interface SearchQuery {
  /** What the viewer typed; "" lists every title under the filters, most popular first. */
  text: string;
  filters: SearchFilters;
  offset: number;
  limit: number;
}

export interface SearchHit {
  contentId: string;
  title: string;
  thumbnailUrl: string;
  type: ContentKind;
  rating: string;
  releaseYear: number;
  genres: string[];
  averageRating: number;
  /** Engine-specific; only the order means something. */
  score: number;
  /** The best matching field's text with the matched words wrapped in <em></em>; "" when none. */
  highlight: string;
}

/** Facet fields, as SearchContent returns them. */
export type FacetField = "genres" | "type" | "decade" | "rating" | "language";

export interface FacetCount {
  /** As the filters take it: "Action", "MOVIE", "1990s", "PG_13", "en". */
  value: string;
  count: number;
}

export interface SearchPage {
  hits: SearchHit[];
  /** Titles matching the query and filters, across all pages. */
  total: number;
  /** Counts over the same set as `total`, most frequent first (ties by value). Empty fields left out. */
  facets: Partial<Record<FacetField, FacetCount[]>>;
}

export interface SuggestQuery {
  /** What the viewer typed so far. */
  prefix: string;
  limit: number;
  /** Leave out titles above this age, and people known only from such titles. */
  maxAge?: number;
}

export type Suggestion =
  | { kind: "title"; text: string; contentId: string; thumbnailUrl: string }
  | { kind: "person"; text: string }
  | { kind: "genre"; text: string };

export interface SearchIndex {
  /** Stores the title's state unless a newer version (or removal) is held. Searchable once it resolves. */
  upsert(doc: SearchDocument): Promise<void>;
  /**
   * Takes a title out of the index. The removal is remembered with its version, so a late or
   * redelivered upsert of an older version does not bring the title back.
   */
  remove(contentId: string, version: number): Promise<void>;
  search(query: SearchQuery): Promise<SearchPage>;
  suggest(query: SuggestQuery): Promise<Suggestion[]>;
  /**
   * Builds a new index from `source` (every published title, in batches) while searches and
   * writes go on against the current one, then swaps it in. Writes made during the rebuild that
   * are newer than what the source gave survive the swap. Resolves to the number of titles indexed.
   */
  rebuild(source: AsyncIterable<SearchDocument[]>): Promise<number>;
  close(): Promise<void>;
}
