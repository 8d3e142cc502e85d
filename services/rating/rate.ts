import { randomUUID } from "node:crypto";
import { DomainError } from "../../platform/domain/errors.js";
import type { RatingStore, RatingTotals, StoredRating } from "./store.js";

/** What a change of rating announces (the ContentRated event). */
export interface Rated {
  userId: string;
  profileId: string;
  contentId: string;
  stars: number;
  /** Absent for a first rating. */
  previousStars?: number;
  totals: RatingTotals;
  /** When the rating was given: now, or the original time of an imported rating. */
  at: Date;
}

export interface RateDeps {
  store: RatingStore;
  /** Runs a write to one (profile, title) rating alone among its racers; see rating-lock.ts. */
  serialise: <T>(profileId: string, contentId: string, fn: () => Promise<T>) => Promise<T>;
  announce: (rated: Rated) => Promise<void>;
}

export interface RateOutcome {
  totals: RatingTotals;
  /** False when the profile had already given the title these stars: nothing was written. */
  changed: boolean;
}

/** Raised when other writes to the same rating keep winning; the caller may retry. */
export class RatingContentionError extends DomainError {
  constructor(readonly profileId: string, readonly contentId: string) {
    super("aborted", `the rating of ${contentId} by profile ${profileId} kept changing; retry`);
    this.name = "RatingContentionError";
  }
}

/** Every lost race means another write to this one rating succeeded, so a few attempts suffice. */
const MAX_ATTEMPTS = 16;

/**
 * Sets a profile's stars for a title and moves the title's totals by the difference. The rating is
 * replaced by compare-and-set on the stars it had, so of two concurrent calls only one replaces a
 * given value; the other reads again and applies its delta against what it actually replaced.
 * Every applied delta therefore matches one replaced value, and the totals cannot double-count.
 */
export function rate(deps: RateDeps, input: { userId: string; profileId: string; contentId: string; stars: number }, now = new Date()): Promise<RateOutcome> {
  return deps.serialise(input.profileId, input.contentId, () => rateNow(deps, input, now));
}

async function rateNow(deps: RateDeps, input: { userId: string; profileId: string; contentId: string; stars: number }, now: Date): Promise<RateOutcome> {
  const { store } = deps;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const current = await store.find(input.profileId, input.contentId);
    if (current?.stars === input.stars) return { totals: await store.totals(input.contentId), changed: false };
    const next: StoredRating = {
      ratingId: current?.ratingId ?? randomUUID(),
      profileId: input.profileId,
      contentId: input.contentId,
      stars: input.stars,
      createdAt: current?.createdAt ?? now,
      updatedAt: now,
    };
    if (!(await store.replace(next, current?.stars ?? null))) continue;
    await store.addToTotals(input.contentId, totalsDelta(current?.stars ?? null, input.stars));
    const totals = await store.totals(input.contentId);
    await deps.announce({ ...input, previousStars: current?.stars, totals, at: now });
    return { totals, changed: true };
  }
  throw new RatingContentionError(input.profileId, input.contentId);
}

/** A first rating adds its stars and one rating; a re-rate adds the difference and no rating. */
export function totalsDelta(previousStars: number | null, stars: number): RatingTotals {
  return previousStars === null ? { sum: stars, count: 1 } : { sum: stars - previousStars, count: 0 };
}

/** The mean stars, 0 when nobody rated the title. */
export function averageOf(totals: RatingTotals): number {
  return totals.count > 0 ? totals.sum / totals.count : 0;
}
