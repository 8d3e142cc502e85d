import { MaturityRating } from "../../gen/cinemesh/common/v1/enums_pb.js";

/**
 * Film (MPA) and TV (US TV Parental Guidelines) ratings on one scale, the youngest age each suits,
 * so a profile's cap can be compared with any title's rating. Unspecified counts as adult-only:
 * an unrated title is never shown to a capped profile.
 */
const MIN_AGE: Record<MaturityRating, number> = {
  [MaturityRating.UNSPECIFIED]: 18,
  [MaturityRating.G]: 0,
  [MaturityRating.TV_Y]: 0,
  [MaturityRating.TV_G]: 0,
  [MaturityRating.TV_Y7]: 7,
  [MaturityRating.PG]: 8,
  [MaturityRating.TV_PG]: 8,
  [MaturityRating.PG_13]: 13,
  [MaturityRating.TV_14]: 14,
  [MaturityRating.R]: 17,
  [MaturityRating.TV_MA]: 17,
  [MaturityRating.NC_17]: 18,
};

export function minimumAge(rating: MaturityRating): number {
  return MIN_AGE[rating] ?? 18;
}

/** True when a title rated `rating` may be shown to a profile capped at `cap`. */
export function isAllowed(rating: MaturityRating, cap: MaturityRating): boolean {
  return minimumAge(rating) <= minimumAge(cap);
}

/** Every rating a profile capped at `cap` may see (for SQL filters: `rating = ANY($n)`). */
export function allowedRatings(cap: MaturityRating): MaturityRating[] {
  return (Object.keys(MIN_AGE).map(Number) as MaturityRating[]).filter((r) => r !== MaturityRating.UNSPECIFIED && isAllowed(r, cap));
}

/**
 * The cap of a profile as identity reports it. Identity already lowers it for kids profiles; a
 * kids profile that arrives without one is capped at PG/TV-PG (Netflix's "older kids" default)
 * rather than shown everything.
 */
export function profileCap(profile: { isKids: boolean; maturityLevel: MaturityRating }): MaturityRating | undefined {
  if (profile.maturityLevel !== MaturityRating.UNSPECIFIED) return profile.maturityLevel;
  return profile.isKids ? MaturityRating.PG : undefined;
}

/** The stricter of two caps (an absent cap is no cap). */
export function stricterCap(a: MaturityRating | undefined, b: MaturityRating | undefined): MaturityRating | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return minimumAge(b) < minimumAge(a) ? b : a;
}

/** A cap as indexes and lists compare it: the youngest age it allows; no cap, no limit. */
export function capAge(cap: MaturityRating | undefined): number | undefined {
  return cap === undefined ? undefined : minimumAge(cap);
}

/** "PG_13" → MaturityRating.PG_13, the spelling documents and cards keep; unknown spellings → UNSPECIFIED. */
export function maturityRating(spelling: string): MaturityRating {
  const rating = MaturityRating[spelling as keyof typeof MaturityRating];
  return typeof rating === "number" ? rating : MaturityRating.UNSPECIFIED;
}
