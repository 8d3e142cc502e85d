import type { RatingRow } from "../catalog-import/movielens-rows.js";

/** A MovieLens-layout dataset as its files hold it: movies.csv's rows and ratings.csv's rows. */
export interface Movie {
  movieId: string;
  /** As MovieLens writes it: `Heat (1995)`, `American President, The (1995)`. */
  title: string;
  /** `Action|Crime|Thriller`, or `(no genres listed)`. */
  genres: string;
}

export type { RatingRow } from "../catalog-import/movielens-rows.js";

export interface Dataset {
  movies: Movie[];
  ratings: RatingRow[];
}

export const MOVIES_FILE = "movies.csv";
export const RATINGS_FILE = "ratings.csv";

/**
 * The order ids are compared in wherever a tie needs breaking: numeric ids (MovieLens's) by value,
 * since a shorter digit string is a smaller number; any other ids still in one fixed order.
 */
export function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}
