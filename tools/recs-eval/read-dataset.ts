import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import type { BadRow } from "../catalog-import/catalog-title.js";
import { MOVIES_HEADER, parseRatingRow, RATINGS_HEADER, type RatingRow, type RowParse } from "../catalog-import/movielens-rows.js";
import { eachRow, InputFormatError } from "../catalog-import/read-movielens.js";
import { MOVIES_FILE, RATINGS_FILE, type Dataset, type Movie } from "./dataset.js";

/** A row an evaluation cannot use: the numbers would be wrong, so nothing is evaluated. */
export class DatasetError extends Error {
  override name = "DatasetError";
}

export interface ReadDataset extends Dataset {
  /** Ratings of movies movies.csv does not list, left out: nothing could recommend them. */
  unknownMovieRatings: number;
}

/** `dir/movies.csv` and `dir/ratings.csv`, every row checked: the first bad row stops the evaluation. */
export async function readDataset(dir: string): Promise<ReadDataset> {
  const movies: Movie[] = [];
  const known = new Set<string>();
  await eachGoodRow(path.join(dir, MOVIES_FILE), MOVIES_HEADER, parseMovie, (movie) => {
    if (known.has(movie.movieId)) return `movieId ${movie.movieId} listed twice`;
    known.add(movie.movieId);
    movies.push(movie);
  });

  const ratings: RatingRow[] = [];
  let unknownMovieRatings = 0;
  await eachGoodRow(path.join(dir, RATINGS_FILE), RATINGS_HEADER, parseRatingRow, (row) => {
    if (known.has(row.movieId)) ratings.push(row);
    else unknownMovieRatings++;
  });
  return { movies, ratings, unknownMovieRatings };
}

function parseMovie(fields: string[]): RowParse<Movie> {
  if (fields.length !== MOVIES_HEADER.length) return { ok: false, reason: `${fields.length} columns, expected ${MOVIES_HEADER.length} (${MOVIES_HEADER.join(",")})` };
  const [movieId, title, genres] = fields.map((f) => f.trim()) as [string, string, string];
  if (!/^\d+$/.test(movieId)) return { ok: false, reason: `movieId ${JSON.stringify(movieId)} is not a number` };
  return { ok: true, value: { movieId, title, genres } };
}

/** The importer's reading of a MovieLens file, where a bad row (or a problem `onRow` returns) is an error, not a skip. */
async function eachGoodRow<T>(file: string, header: string[], parse: (fields: string[]) => RowParse<T>, onRow: (row: T) => string | void): Promise<void> {
  // csvRecords does not see the file stream's own errors: a missing file is caught here.
  const isFile = await stat(file).then((s) => s.isFile(), () => false);
  if (!isFile) throw new DatasetError(`${file}: no such file (a MovieLens directory holds ${MOVIES_FILE} and ${RATINGS_FILE})`);
  const bad: BadRow[] = [];
  try {
    await eachRow({ file, stream: createReadStream(file) }, header, parse, bad, (row, line) => {
      const problem = onRow(row);
      if (problem !== undefined) bad.push({ file, line, reason: problem });
    });
  } catch (err) {
    if (err instanceof InputFormatError) throw new DatasetError(err.message);
    throw err;
  }
  const first = bad.sort((a, b) => a.line - b.line)[0];
  if (first !== undefined) throw new DatasetError(`${first.file}:${first.line}: ${first.reason}`);
}
