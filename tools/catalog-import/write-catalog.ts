import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { CatalogTitle } from "./catalog-title.js";
import { csvLine } from "./csv-write.js";
import { movieLensGenres } from "./movielens-genres.js";
import { LINKS_HEADER, MOVIES_HEADER, TAGS_HEADER } from "./movielens-rows.js";
import { articleBehind } from "./movielens-title.js";

/** `DIR/catalog.jsonl`: every title, one JSON object per line (the importer's JSON Lines input). */
export async function writeJsonl(dir: string, titles: readonly CatalogTitle[], name = "catalog.jsonl"): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, name);
  await writeFile(file, titles.map((t) => `${JSON.stringify(t)}\n`).join(""));
  return file;
}

/**
 * `DIR/movies.csv`, `tags.csv` and `links.csv` as MovieLens writes them: "Matrix, The (1999)"
 * titles with the original title in parentheses, "|"-joined MovieLens genres, each keyword as a
 * tag (the first keyword tagged most often, so the importer reads them back in order), IMDb ids
 * without "tt". MovieLens has only movies: TV shows, and titles without a "movielens" id, are left out.
 */
export async function writeMovieLens(dir: string, titles: readonly CatalogTitle[]): Promise<{ movies: number }> {
  await mkdir(dir, { recursive: true });
  const movies: string[] = [csvLine(MOVIES_HEADER)];
  const tags: string[] = [csvLine(TAGS_HEADER)];
  const links: string[] = [csvLine(LINKS_HEADER)];
  let count = 0;
  for (const t of titles) {
    const movieId = t.externalIds.find((e) => e.source === "movielens")?.id;
    if (t.type !== "MOVIE" || movieId === undefined) continue;
    count++;
    const original = t.originalTitle === "" ? "" : ` (${articleBehind(t.originalTitle)})`;
    movies.push(csvLine([movieId, `${articleBehind(t.title)}${original} (${t.releaseYear})`, movieLensGenres(t.genres)]));
    t.keywords.forEach((keyword, i) => {
      for (let user = 1; user <= t.keywords.length - i; user++) tags.push(csvLine([user, movieId, keyword, 1_600_000_000 + i]));
    });
    const imdb = t.externalIds.find((e) => e.source === "imdb")?.id.replace(/^tt/, "") ?? "";
    const tmdb = t.externalIds.find((e) => e.source === "tmdb")?.id ?? "";
    links.push(csvLine([movieId, imdb, tmdb]));
  }
  await writeFile(path.join(dir, "movies.csv"), movies.join(""));
  await writeFile(path.join(dir, "tags.csv"), tags.join(""));
  await writeFile(path.join(dir, "links.csv"), links.join(""));
  return { movies: count };
}
