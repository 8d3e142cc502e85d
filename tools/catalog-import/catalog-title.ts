/**
 * A title as the importer and the generator hold it: the catalog's own fields in their REST
 * spelling (`"TV_SHOW"`, `"PG_13"`), which is also exactly one line of the JSON Lines format.
 * Plain data, so the search tests and benchmarks can use generated titles without any RPC types.
 */
export interface CatalogTitle {
  title: string;
  /** Title in the original language when it differs; "" otherwise. */
  originalTitle: string;
  description: string;
  type: ContentKind;
  genres: string[];
  releaseYear: number;
  rating: Rating;
  /** BCP 47 tag; "" lets the catalog default to "en". */
  language: string;
  cast: string[];
  director: string;
  keywords: string[];
  externalIds: ExternalIdRef[];
  /** 0 when unknown. */
  durationMinutes: number;
  /** "" when none. */
  thumbnailUrl: string;
  /**
   * How popular the title is (higher is more). The catalog computes its own from views, so the
   * importer does not send it; generated catalogs carry it for search benchmarks' tie-breaking.
   */
  popularity: number;
  /** TV shows only; empty for movies. */
  seasons: CatalogSeason[];
}

export type ContentKind = "MOVIE" | "TV_SHOW";

export const RATINGS = ["G", "PG", "PG_13", "R", "NC_17", "TV_Y", "TV_Y7", "TV_G", "TV_PG", "TV_14", "TV_MA"] as const;
export type Rating = (typeof RATINGS)[number];

export interface ExternalIdRef {
  source: string;
  id: string;
}

export interface CatalogSeason {
  seasonNumber: number;
  title: string;
  description: string;
  /** 0 when unknown. */
  releaseYear: number;
  episodes: CatalogEpisode[];
}

export interface CatalogEpisode {
  episodeNumber: number;
  title: string;
  description: string;
}

/** Where a title came from, so that every message about it can name the file and line. */
export interface SourceLine {
  file: string;
  /** 1-based. */
  line: number;
}

export interface SourcedTitle extends SourceLine {
  title: CatalogTitle;
}

/** A row that could not become a title: reported with its place and skipped. */
export interface BadRow extends SourceLine {
  reason: string;
}

export const externalIdKey = (id: ExternalIdRef): string => `${id.source}:${id.id}`;

/** `PG-13`, `pg_13` and `MATURITY_RATING_PG_13` → `PG_13` (the spellings the edge accepts); undefined when unknown. */
export function ratingOf(raw: string): Rating | undefined {
  const upper = raw.trim().replace(/-/g, "_").toUpperCase().replace(/^MATURITY_RATING_/, "");
  return (RATINGS as readonly string[]).includes(upper) ? (upper as Rating) : undefined;
}

/** `MOVIE`, `tv-show`, `CONTENT_TYPE_TV_SHOW` → the kind; undefined when unknown. */
export function kindOf(raw: string): ContentKind | undefined {
  const upper = raw.trim().replace(/-/g, "_").toUpperCase().replace(/^CONTENT_TYPE_/, "");
  return upper === "MOVIE" || upper === "TV_SHOW" ? upper : undefined;
}
