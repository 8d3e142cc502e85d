/** A profile's stars for one title. */
export interface StoredRating {
  ratingId: string;
  profileId: string;
  contentId: string;
  /** 1-5. */
  stars: number;
  createdAt: Date;
  updatedAt: Date;
}

/** Per-title aggregate: the mean is sum / count, kept up to date by deltas, never by a scan. */
export interface RatingTotals {
  sum: number;
  count: number;
}

/** Where ratings and their per-title totals live. */
export interface RatingStore {
  find(profileId: string, contentId: string): Promise<StoredRating | null>;
  /**
   * Writes the rating only if the profile's current stars for the title are still `expectedStars`
   * (null: not rated yet), atomically; resolves to whether it wrote. Lost races read again.
   */
  replace(rating: StoredRating, expectedStars: number | null): Promise<boolean>;
  addToTotals(contentId: string, delta: RatingTotals): Promise<void>;
  totals(contentId: string): Promise<RatingTotals>;
}
