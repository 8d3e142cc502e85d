import type { CatalogTitle, ExternalIdRef, Rating } from "./catalog-title.js";
import { catalogGenres } from "./movielens-genres.js";
import { parseMovieLensTitle } from "./movielens-title.js";

/** One CSV record as read: its fields and the line it starts on. */
export interface CsvRecord {
  line: number;
  fields: string[];
}

export type RowParse<T> = { ok: true; value: T } | { ok: false; reason: string };

export const MOVIES_HEADER = ["movieId", "title", "genres"];
export const TAGS_HEADER = ["userId", "movieId", "tag", "timestamp"];
export const LINKS_HEADER = ["movieId", "imdbId", "tmdbId"];
export const RATINGS_HEADER = ["userId", "movieId", "rating", "timestamp"];

export interface MovieRow {
  movieId: string;
  /** Everything but keywords and the imdb/tmdb ids, which come from tags.csv and links.csv. */
  title: CatalogTitle;
}

export interface MovieDefaults {
  /** MovieLens has no age ratings; the catalog requires one. */
  rating: Rating;
}

/** `1,Toy Story (1995),Adventure|Animation|Children|Comedy|Fantasy` → a movie. */
export function parseMovieRow(fields: string[], defaults: MovieDefaults): RowParse<MovieRow> {
  if (fields.length !== MOVIES_HEADER.length) return columnCount(fields, MOVIES_HEADER);
  const [movieId, rawTitle, genres] = fields.map((f) => f.trim());
  if (!/^\d+$/.test(movieId)) return { ok: false, reason: `movieId ${JSON.stringify(movieId)} is not a number` };
  if (rawTitle === "") return { ok: false, reason: "no title" };
  const parsed = parseMovieLensTitle(rawTitle);
  if (!parsed.ok) return parsed;
  const { title, originalTitle, alsoKnownAs, releaseYear } = parsed.value;
  return {
    ok: true,
    value: {
      movieId,
      title: {
        title,
        originalTitle,
        description: "",
        type: "MOVIE",
        genres: catalogGenres(genres),
        releaseYear,
        rating: defaults.rating,
        language: "",
        cast: [],
        director: "",
        // Other names are searched with the keywords; tags follow them (see withTags).
        keywords: alsoKnownAs,
        externalIds: [{ source: "movielens", id: movieId }],
        durationMinutes: 0,
        thumbnailUrl: "",
        popularity: 0,
        seasons: [],
      },
    },
  };
}

export interface TagRow {
  movieId: string;
  tag: string;
}

/** `15,339,sandra 'boring' bullock,1138537770` → a tag of movie 339. */
export function parseTagRow(fields: string[]): RowParse<TagRow> {
  if (fields.length !== TAGS_HEADER.length) return columnCount(fields, TAGS_HEADER);
  const movieId = fields[1].trim();
  if (!/^\d+$/.test(movieId)) return { ok: false, reason: `movieId ${JSON.stringify(movieId)} is not a number` };
  return { ok: true, value: { movieId, tag: fields[2].replace(/\s+/g, " ").trim() } };
}

/** `1,0114709,862` → movie 1's imdb and tmdb ids. */
export function parseLinkRow(fields: string[]): RowParse<{ movieId: string; ids: ExternalIdRef[] }> {
  if (fields.length !== LINKS_HEADER.length) return columnCount(fields, LINKS_HEADER);
  const [movieId, imdb, tmdb] = fields.map((f) => f.trim());
  if (!/^\d+$/.test(movieId)) return { ok: false, reason: `movieId ${JSON.stringify(movieId)} is not a number` };
  if (imdb !== "" && !/^(tt)?\d+$/.test(imdb)) return { ok: false, reason: `imdbId ${JSON.stringify(imdb)} is not a number` };
  if (tmdb !== "" && !/^\d+$/.test(tmdb)) return { ok: false, reason: `tmdbId ${JSON.stringify(tmdb)} is not a number` };
  const ids: ExternalIdRef[] = [];
  // links.csv drops IMDb's "tt" prefix and sometimes its leading zeros; IMDb ids are tt + at least 7 digits.
  if (imdb !== "") ids.push({ source: "imdb", id: `tt${imdb.replace(/^tt/, "").padStart(7, "0")}` });
  if (tmdb !== "") ids.push({ source: "tmdb", id: String(Number(tmdb)) });
  return { ok: true, value: { movieId, ids } };
}

/** The catalog's cap on keywords per title (CreateContentRequest.keywords). */
export const MAX_KEYWORDS = 100;
const MAX_KEYWORD_LENGTH = 100;

/**
 * Counts tags per movie so each movie's keywords are its distinct tags, the most used first
 * (case folded: "Pixar" and "pixar" are one keyword, spelled as first seen; ties keep first-seen order).
 */
export class TagTally {
  private readonly byMovie = new Map<string, Map<string, { spelling: string; count: number }>>();

  add(row: TagRow): void {
    if (row.tag === "" || row.tag.length > MAX_KEYWORD_LENGTH) return;
    let tags = this.byMovie.get(row.movieId);
    if (tags === undefined) this.byMovie.set(row.movieId, (tags = new Map()));
    const key = row.tag.toLocaleLowerCase("en");
    const seen = tags.get(key);
    if (seen === undefined) tags.set(key, { spelling: row.tag, count: 1 });
    else seen.count++;
  }

  keywordsOf(movieId: string): string[] {
    const tags = this.byMovie.get(movieId);
    if (tags === undefined) return [];
    // Array.prototype.sort is stable: equal counts stay in first-seen (insertion) order.
    return [...tags.values()].sort((a, b) => b.count - a.count).map((t) => t.spelling);
  }
}

/** The movie with its tags (after its other names, without repeats) and its links' ids, within the catalog's caps. */
export function withTagsAndLinks(movie: MovieRow, tags: readonly string[], links: readonly ExternalIdRef[]): CatalogTitle {
  const keywords = [...movie.title.keywords];
  const seen = new Set(keywords.map((k) => k.toLocaleLowerCase("en")));
  for (const tag of tags) {
    const key = tag.toLocaleLowerCase("en");
    if (!seen.has(key)) keywords.push(tag), seen.add(key);
  }
  return { ...movie.title, keywords: keywords.filter((k) => k.length <= MAX_KEYWORD_LENGTH).slice(0, MAX_KEYWORDS), externalIds: [...movie.title.externalIds, ...links] };
}

export interface RatingRow {
  userId: string;
  movieId: string;
  /** 0.5-5 in steps of 0.5, as MovieLens gives it. */
  rating: number;
  /** Seconds since the epoch. */
  timestamp: number;
}

/** `1,296,5.0,1147880044` → user 1 gave movie 296 five stars at that time. */
export function parseRatingRow(fields: string[]): RowParse<RatingRow> {
  if (fields.length !== RATINGS_HEADER.length) return columnCount(fields, RATINGS_HEADER);
  const [userId, movieId, ratingText, timeText] = fields.map((f) => f.trim()) as [string, string, string, string];
  if (!/^\d+$/.test(userId)) return { ok: false, reason: `userId ${JSON.stringify(userId)} is not a number` };
  if (!/^\d+$/.test(movieId)) return { ok: false, reason: `movieId ${JSON.stringify(movieId)} is not a number` };
  const rating = Number(ratingText);
  if (ratingText === "" || !Number.isFinite(rating) || rating < 0.5 || rating > 5 || !Number.isInteger(rating * 2)) {
    return { ok: false, reason: `rating ${JSON.stringify(ratingText)} is not 0.5-5 in steps of 0.5` };
  }
  if (!/^\d+$/.test(timeText)) return { ok: false, reason: `timestamp ${JSON.stringify(timeText)} is not whole seconds since 1970` };
  return { ok: true, value: { userId, movieId, rating, timestamp: Number(timeText) } };
}

/** MovieLens's 0.5-5 stars on the platform's 1-5: half stars round up (3.5, a positive, becomes 4). */
export function platformStars(rating: number): number {
  return Math.min(5, Math.max(1, Math.ceil(rating)));
}

function columnCount<T>(fields: string[], header: string[]): RowParse<T> {
  return { ok: false, reason: `${fields.length} columns, expected ${header.length} (${header.join(",")})` };
}
