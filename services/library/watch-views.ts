import type { WatchProgress } from "./watch-store.js";

/** Fraction watched, 0-1 (the seed's `progress`). */
export function progressFraction(p: Pick<WatchProgress, "positionSeconds" | "durationSeconds">): number {
  if (p.durationSeconds <= 0) return 0;
  return Math.min(1, Math.max(0, p.positionSeconds / p.durationSeconds));
}

/**
 * The history as read, newest first, reduced to one entry per video (the newest), with the rows
 * that lost: duplicates left behind by a move that failed halfway, for the reader to clean up.
 */
export function distinctVideos(rows: readonly WatchProgress[]): { entries: WatchProgress[]; stale: WatchProgress[] } {
  const seen = new Set<string>();
  const entries: WatchProgress[] = [];
  const stale: WatchProgress[] = [];
  for (const row of rows) {
    if (seen.has(row.videoId)) stale.push(row);
    else {
      seen.add(row.videoId);
      entries.push(row);
    }
  }
  return { entries, stale };
}

/**
 * Replaces stored entries by the newer reports not persisted yet (held back by the debounce
 * window), and puts the result back in newest-first order.
 */
export function withLatest(entries: readonly WatchProgress[], latest: readonly (WatchProgress | null)[]): WatchProgress[] {
  const merged = entries.map((e, i) => {
    const l = latest[i];
    return l !== null && l !== undefined && l.lastWatchedAt.getTime() >= e.lastWatchedAt.getTime() ? l : e;
  });
  return merged.sort((a, b) => b.lastWatchedAt.getTime() - a.lastWatchedAt.getTime() || a.videoId.localeCompare(b.videoId));
}

/**
 * Continue watching: for each title, the video watched last (the latest episode of a show), kept
 * when it is started and not completed; newest first. A show whose last-watched episode was
 * finished is left out rather than offering an older, abandoned episode.
 */
export function continueWatching(history: readonly WatchProgress[]): WatchProgress[] {
  const seen = new Set<string>();
  const picks: WatchProgress[] = [];
  for (const entry of history) {
    if (seen.has(entry.contentId)) continue;
    seen.add(entry.contentId);
    if (!entry.completed && entry.positionSeconds > 0) picks.push(entry);
  }
  return picks;
}
