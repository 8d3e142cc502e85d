/** Views and watch time are bucketed by clock hour (UTC), like the hourly aggregates they feed. */
export const HOUR_MS = 3_600_000;

/** The start of the clock hour holding `t`. */
export function hourOf(t: Date): Date {
  return new Date(Math.floor(t.getTime() / HOUR_MS) * HOUR_MS);
}

/** Milliseconds from `now` until `extraMs` after the end of `hour` (at least 1, a valid TTL). */
export function msUntilAfterHour(hour: Date, extraMs: number, now: Date): number {
  return Math.max(1, hour.getTime() + HOUR_MS + extraMs - now.getTime());
}
