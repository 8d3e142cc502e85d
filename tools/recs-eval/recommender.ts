import type { Movie, RatingRow } from "./dataset.js";
import type { History } from "./history.js";

/** What every recommender is given: the catalog and train only (the test ratings never reach it). */
export interface TrainInput {
  movies: readonly Movie[];
  train: readonly RatingRow[];
  /** userId → that user's train. */
  histories: ReadonlyMap<string, History>;
}

/** Learns from train, then lists `k` movies for each user, never one the user rated in train. */
export interface Recommender {
  name: string;
  recommend(input: TrainInput, users: readonly string[], k: number): Map<string, string[]>;
}
