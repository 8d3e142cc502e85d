import type { RatingRow } from "./dataset.js";
import { isPositive } from "./split.js";

/** What one user did in train, in the forms the recommenders read. */
export interface History {
  ratings: RatingRow[];
  /** Every movie the user rated: never recommended to them. */
  seen: Set<string>;
  /** The distinct movies rated POSITIVE_RATING or higher, in rating order. */
  positives: string[];
}

export function historiesOf(train: readonly RatingRow[]): Map<string, History> {
  const histories = new Map<string, { ratings: RatingRow[]; seen: Set<string>; positives: Set<string> }>();
  for (const r of train) {
    let h = histories.get(r.userId);
    if (h === undefined) histories.set(r.userId, (h = { ratings: [], seen: new Set(), positives: new Set() }));
    h.ratings.push(r);
    h.seen.add(r.movieId);
    if (isPositive(r)) h.positives.add(r.movieId);
  }
  return new Map([...histories].map(([userId, h]) => [userId, { ...h, positives: [...h.positives] }]));
}
