import { compareIds, type RatingRow } from "./dataset.js";

/** A rating this high is an implicit positive: the user liked the movie. */
export const POSITIVE_RATING = 3.5;
/** Users with fewer positives are not tested (too little to hold some back); all their ratings train. */
export const MIN_POSITIVES = 5;
/** The share of a tested user's positives, the latest, held back as their test set. */
export const TEST_SHARE = 0.2;

export interface Split {
  /** Every rating the recommenders may learn from. */
  train: RatingRow[];
  /** userId → the movies held back, each a positive later than all of the user's train positives. */
  test: Map<string, Set<string>>;
}

export const isPositive = (r: RatingRow): boolean => r.rating >= POSITIVE_RATING;

/**
 * Per user with at least MIN_POSITIVES positives, the last TEST_SHARE of them by time (rounded
 * down, at least one; equal times ordered by movieId) are the test set; everything else, their
 * non-positive ratings included whenever they happened, is train.
 */
export function splitByTime(ratings: readonly RatingRow[]): Split {
  const positivesOf = new Map<string, RatingRow[]>();
  for (const r of ratings) if (isPositive(r)) (positivesOf.get(r.userId) ?? positivesOf.set(r.userId, []).get(r.userId)!).push(r);

  const heldBack = new Set<RatingRow>();
  const test = new Map<string, Set<string>>();
  for (const [userId, positives] of positivesOf) {
    if (positives.length < MIN_POSITIVES) continue;
    positives.sort((a, b) => a.timestamp - b.timestamp || compareIds(a.movieId, b.movieId));
    const last = positives.slice(positives.length - Math.max(1, Math.floor(positives.length * TEST_SHARE)));
    for (const r of last) heldBack.add(r);
    test.set(userId, new Set(last.map((r) => r.movieId)));
  }
  return { train: ratings.filter((r) => !heldBack.has(r)), test };
}
