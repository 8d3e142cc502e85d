import type { CatalogTitle } from "./catalog-title.js";

/**
 * The catalog's limits on a new title (proto/cinemesh/catalog/v1/catalog.proto's validation
 * rules), checked before anything is sent so a bad row is reported with its file and line instead
 * of as a failed call. The catalog still validates: this only moves the message closer to the data.
 * Returns what is wrong; empty when the title can be created.
 */
export function titleProblems(t: CatalogTitle): string[] {
  const problems: string[] = [];
  const check = (ok: boolean, message: string) => {
    if (!ok) problems.push(message);
  };
  check(t.title.trim().length >= 1, "no title");
  check(t.title.length <= 500, "title longer than 500 characters");
  check(t.originalTitle.length <= 500, "original title longer than 500 characters");
  check(t.description.length <= 10_000, "description longer than 10000 characters");
  check(t.genres.length >= 1, "no genre");
  check(t.genres.length <= 20, "more than 20 genres");
  check(t.genres.every((g) => g.length >= 1 && g.length <= 50), "a genre is empty or longer than 50 characters");
  check(new Set(t.genres).size === t.genres.length, "a genre is listed twice");
  check(Number.isInteger(t.releaseYear) && t.releaseYear >= 1870 && t.releaseYear <= 2100, `release year ${t.releaseYear} is not between 1870 and 2100`);
  check(t.language === "" || (/^[a-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$/.test(t.language) && t.language.length <= 35), `language ${JSON.stringify(t.language)} is not a BCP 47 tag`);
  check(t.cast.length <= 200 && t.cast.every((c) => c.length >= 1 && c.length <= 200), "cast: at most 200 names of 1-200 characters");
  check(t.director.length <= 200, "director longer than 200 characters");
  check(t.keywords.length <= 100 && t.keywords.every((k) => k.length >= 1 && k.length <= 100), "keywords: at most 100 of 1-100 characters");
  check(t.externalIds.length >= 1, "no external id");
  check(t.externalIds.length <= 10, "more than 10 external ids");
  check(
    t.externalIds.every((e) => /^[a-z0-9-]{1,30}$/.test(e.source) && e.id.length >= 1 && e.id.length <= 100),
    "an external id's source is not 1-30 lower-case letters, digits or '-', or its id not 1-100 characters",
  );
  check(Number.isInteger(t.durationMinutes) && t.durationMinutes >= 0 && t.durationMinutes <= 1440, "duration is not 0-1440 minutes");
  check(t.thumbnailUrl === "" || (isAbsoluteUrl(t.thumbnailUrl) && t.thumbnailUrl.length <= 500), "thumbnail URL is not an absolute URL of at most 500 characters");
  if (t.type === "MOVIE") check(t.seasons.length === 0, "a movie has no seasons");
  const seasons = new Set<number>();
  for (const s of t.seasons) {
    check(Number.isInteger(s.seasonNumber) && s.seasonNumber >= 1 && s.seasonNumber <= 1000, `season number ${s.seasonNumber} is not 1-1000`);
    check(!seasons.has(s.seasonNumber), `season ${s.seasonNumber} is listed twice`);
    seasons.add(s.seasonNumber);
    check(s.releaseYear === 0 || (s.releaseYear >= 1870 && s.releaseYear <= 2100), `season ${s.seasonNumber}: release year ${s.releaseYear} is not between 1870 and 2100`);
    const episodes = new Set<number>();
    for (const e of s.episodes) {
      check(Number.isInteger(e.episodeNumber) && e.episodeNumber >= 1 && e.episodeNumber <= 10_000, `season ${s.seasonNumber}: episode number ${e.episodeNumber} is not 1-10000`);
      check(!episodes.has(e.episodeNumber), `season ${s.seasonNumber}: episode ${e.episodeNumber} is listed twice`);
      episodes.add(e.episodeNumber);
      check(e.title.trim().length >= 1 && e.title.length <= 500, `season ${s.seasonNumber} episode ${e.episodeNumber}: title missing or longer than 500 characters`);
    }
  }
  return problems;
}

function isAbsoluteUrl(s: string): boolean {
  try {
    return new URL(s).protocol.length > 1;
  } catch {
    return false;
  }
}
