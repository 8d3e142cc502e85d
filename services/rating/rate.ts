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
export function rate(deps: RateDeps, input: RatingInput, now = new Date()): Promise<RateOutcome> {
  return deps.serialise(input.profileId, input.contentId, () => rateNow(deps, input, now));
}

async function rateNow(deps: RateDeps, input: RatingInput, now: Date): Promise<RateOutcome> {
  const replaced = await replaceRating(deps.store, input, now);
  if (replaced === undefined) return { totals: await deps.store.totals(input.contentId), changed: false };
  await deps.store.addToTotals(input.contentId, totalsDelta(replaced.previousStars ?? null, input.stars));
  const totals = await deps.store.totals(input.contentId);
  await deps.announce({ ...input, previousStars: replaced.previousStars, totals, at: now });
  return { totals, changed: true };
}

type RatingInput = { userId: string; profileId: string; contentId: string; stars: number };

/**
 * Sets the stars by compare-and-set on the stars the rating had; resolves to those (absent for a
 * first rating), or undefined when the profile had already given these stars and nothing changed.
 */
async function replaceRating(store: RatingStore, input: RatingInput, now: Date): Promise<{ previousStars?: number } | undefined> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const current = await store.find(input.profileId, input.contentId);
    if (current?.stars === input.stars) return undefined;
    const next: StoredRating = {
      ratingId: current?.ratingId ?? randomUUID(),
      profileId: input.profileId,
      contentId: input.contentId,
      stars: input.stars,
      createdAt: current?.createdAt ?? now,
      updatedAt: now,
    };
    if (await store.replace(next, current?.stars ?? null)) return { previousStars: current?.stars };
  }
  throw new RatingContentionError(input.profileId, input.contentId);
}

/** Ratings of one imported batch set at once: each is its own compare-and-set, as RateContent's are. */
const IMPORT_WRITERS = 16;

/**
 * An admin's batch of ratings with the times they were given: each set as `rate` sets it, but the
 * title totals move once per title and the announcements go out in one outbox transaction, which
 * is what makes 100,000 ratings an import of a minute rather than of ten. Every announcement of a
 * title carries its totals after the whole batch. Of several ratings of one title by one profile
 * in the batch, the latest counts.
 */
export async function importRatings(
  deps: Pick<RateDeps, "store"> & { announceAll: (rated: Rated[]) => Promise<void> },
  batch: Array<RatingInput & { at: Date }>,
): Promise<{ imported: number; unchanged: number }> {
  const latest = new Map<string, RatingInput & { at: Date }>();
  for (const r of batch) {
    const key = `${r.profileId}:${r.contentId}`;
    if ((latest.get(key)?.at.getTime() ?? -Infinity) <= r.at.getTime()) latest.set(key, r);
  }
  const wanted = [...latest.values()];
  const replaced = await inParallel(wanted, IMPORT_WRITERS, (r) => replaceRating(deps.store, r, r.at));
  const changed = wanted.flatMap((r, i) => (replaced[i] === undefined ? [] : [{ ...r, previousStars: replaced[i]!.previousStars }]));
  const deltas = new Map<string, RatingTotals>();
  for (const r of changed) {
    const d = totalsDelta(r.previousStars ?? null, r.stars);
    const sum = deltas.get(r.contentId) ?? { sum: 0, count: 0 };
    deltas.set(r.contentId, { sum: sum.sum + d.sum, count: sum.count + d.count });
  }
  const titles = [...deltas.keys()];
  await inParallel(titles, IMPORT_WRITERS, (c) => deps.store.addToTotals(c, deltas.get(c)!));
  const after = new Map(titles.map((c, i) => [c, i]));
  const totals = await inParallel(titles, IMPORT_WRITERS, (c) => deps.store.totals(c));
  if (changed.length > 0) await deps.announceAll(changed.map((r) => ({ ...r, totals: totals[after.get(r.contentId)!]! })));
  return { imported: changed.length, unchanged: batch.length - changed.length };
}

/** fn over every item, at most `width` at a time, results in input order. */
async function inParallel<T, R>(items: T[], width: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
  return results;
}

/** A first rating adds its stars and one rating; a re-rate adds the difference and no rating. */
export function totalsDelta(previousStars: number | null, stars: number): RatingTotals {
  return previousStars === null ? { sum: stars, count: 1 } : { sum: stars - previousStars, count: 0 };
}

/** The mean stars, 0 when nobody rated the title. */
export function averageOf(totals: RatingTotals): number {
  return totals.count > 0 ? totals.sum / totals.count : 0;
}
