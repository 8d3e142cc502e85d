import { createHash } from "node:crypto";
import { kindOf, ratingOf, type CatalogEpisode, type CatalogSeason, type CatalogTitle, type ExternalIdRef, type Rating } from "./catalog-title.js";
import { titleProblems } from "./check-title.js";
import type { RowParse } from "./movielens-rows.js";

export interface JsonlDefaults {
  /** For lines without a rating. */
  rating: Rating;
}

/**
 * One JSON Lines title in the catalog's own fields (CatalogTitle; enums in their REST spelling,
 * `PG-13` accepted as at the edge). title, type, genres and releaseYear are required; the rest
 * defaults to empty. A line without externalIds gets a fingerprint id (see fingerprintId) so a
 * second import still recognises it.
 */
export function parseJsonlTitle(text: string, defaults: JsonlDefaults): RowParse<CatalogTitle> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { ok: false, reason: `bad JSON: ${(err as Error).message}` };
  }
  try {
    const o = object(json, "the line");
    const type = kindOf(str(o, "type", ""));
    if (type === undefined) throw new FieldError(`unknown type ${JSON.stringify(o.type ?? "")}, expected MOVIE or TV_SHOW`);
    const rawRating = str(o, "rating", "");
    const rating = rawRating === "" ? defaults.rating : ratingOf(rawRating);
    if (rating === undefined) throw new FieldError(`unknown rating ${JSON.stringify(rawRating)}`);
    if (o.releaseYear === undefined) throw new FieldError("no releaseYear");
    const title: CatalogTitle = {
      title: str(o, "title", "").trim(),
      originalTitle: str(o, "originalTitle", "").trim(),
      description: str(o, "description", ""),
      type,
      genres: strings(o, "genres").map((g) => g.trim()),
      releaseYear: int(o, "releaseYear", 0),
      rating,
      language: str(o, "language", ""),
      cast: strings(o, "cast"),
      director: str(o, "director", ""),
      keywords: strings(o, "keywords"),
      externalIds: list(o, "externalIds").map((e, i) => {
        const id = object(e, `externalIds[${i}]`);
        return { source: str(id, "source", ""), id: str(id, "id", "") };
      }),
      durationMinutes: int(o, "durationMinutes", 0),
      thumbnailUrl: str(o, "thumbnailUrl", ""),
      popularity: num(o, "popularity", 0),
      seasons: list(o, "seasons").map((s, i) => season(object(s, `seasons[${i}]`))),
    };
    if (title.type === "MOVIE" && title.seasons.length > 0) throw new FieldError("a MOVIE has no seasons");
    if (title.externalIds.length === 0) title.externalIds = [fingerprintId(title)];
    const problems = titleProblems(title);
    return problems.length > 0 ? { ok: false, reason: problems.join("; ") } : { ok: true, value: title };
  } catch (err) {
    if (err instanceof FieldError) return { ok: false, reason: err.message };
    throw err;
  }
}

/**
 * The id of a title that brings none: its kind, title and year, hashed (ids are at most 100
 * characters, titles up to 500). Re-importing the same line finds it; changing the title makes it a new one.
 */
export function fingerprintId(t: Pick<CatalogTitle, "type" | "title" | "releaseYear">): ExternalIdRef {
  const digest = createHash("sha256").update(`${t.type}\n${t.title}\n${t.releaseYear}`).digest("hex").slice(0, 32);
  return { source: "fingerprint", id: digest };
}

function season(o: Record<string, unknown>): CatalogSeason {
  const seasonNumber = int(o, "seasonNumber", 0);
  return {
    seasonNumber,
    title: str(o, "title", ""),
    description: str(o, "description", ""),
    releaseYear: int(o, "releaseYear", 0),
    episodes: list(o, "episodes").map((e, i): CatalogEpisode => {
      const ep = object(e, `season ${seasonNumber} episodes[${i}]`);
      return { episodeNumber: int(ep, "episodeNumber", 0), title: str(ep, "title", ""), description: str(ep, "description", "") };
    }),
  };
}

class FieldError extends Error {}

function object(v: unknown, what: string): Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new FieldError(`${what} is not a JSON object`);
  return v as Record<string, unknown>;
}

function str(o: Record<string, unknown>, key: string, fallback: string): string {
  const v = o[key];
  if (v === undefined || v === null) return fallback;
  if (typeof v !== "string") throw new FieldError(`${key} is not a string`);
  return v;
}

function num(o: Record<string, unknown>, key: string, fallback: number): number {
  const v = o[key];
  if (v === undefined || v === null) return fallback;
  if (typeof v !== "number" || !Number.isFinite(v)) throw new FieldError(`${key} is not a number`);
  return v;
}

function int(o: Record<string, unknown>, key: string, fallback: number): number {
  const v = num(o, key, fallback);
  if (!Number.isInteger(v)) throw new FieldError(`${key} is not a whole number`);
  return v;
}

function list(o: Record<string, unknown>, key: string): unknown[] {
  const v = o[key];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new FieldError(`${key} is not a list`);
  return v;
}

function strings(o: Record<string, unknown>, key: string): string[] {
  return list(o, key).map((v, i) => {
    if (typeof v !== "string") throw new FieldError(`${key}[${i}] is not a string`);
    return v;
  });
}
