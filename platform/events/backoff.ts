/** Exponential backoff: `baseMs`, doubling per attempt (1-based), capped at `maxMs`. */
export function backoffMs(attempt: number, baseMs = 1000, maxMs = 60_000): number {
  return Math.min(maxMs, baseMs * 2 ** Math.min(Math.max(attempt - 1, 0), 30));
}
