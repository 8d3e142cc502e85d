import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { csvLine } from "../catalog-import/csv-write.js";
import { MOVIES_HEADER, RATINGS_HEADER } from "../catalog-import/movielens-rows.js";
import { MOVIES_FILE, RATINGS_FILE, type Dataset } from "./dataset.js";

/** `dir/movies.csv` and `dir/ratings.csv` as MovieLens writes them (ratings with one decimal: `4.0`). */
export async function writeDataset(dir: string, data: Dataset): Promise<void> {
  await mkdir(dir, { recursive: true });
  const movies = [MOVIES_HEADER, ...data.movies.map((m) => [m.movieId, m.title, m.genres])].map(csvLine).join("");
  const ratings = [RATINGS_HEADER, ...data.ratings.map((r) => [r.userId, r.movieId, r.rating.toFixed(1), r.timestamp])].map(csvLine).join("");
  await writeFile(path.join(dir, MOVIES_FILE), movies);
  await writeFile(path.join(dir, RATINGS_FILE), ratings);
}
