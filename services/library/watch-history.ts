import type { ProgressState } from "./progress-state.js";
import { STATE_TTL_MS } from "./progress-state.js";
import type { WatchProgress, WatchStore } from "./watch-store.js";
import { distinctVideos, withLatest } from "./watch-views.js";

export interface WatchHistoryDeps {
  store: WatchStore;
  state: ProgressState;
  now?: () => number;
}

/**
 * A profile's whole history, newest first, one entry per video, as of the latest reports: stored
 * rows, overlaid with the reports the debounce window has not let through yet (only recent rows
 * can have one: kv keeps reports for STATE_TTL_MS). Stale duplicates found on the way are removed.
 *
 * Reads the whole partition: the page's total count needs it, and a profile's history is short
 * (one row per video ever watched). If that stops holding, keep a per-profile counter instead.
 */
export async function loadHistory(deps: WatchHistoryDeps, profileId: string): Promise<WatchProgress[]> {
  const rows: WatchProgress[] = [];
  for await (const row of deps.store.history(profileId)) rows.push(row);
  const { entries, stale } = distinctVideos(rows);
  await Promise.all(stale.map((s) => deps.store.dropStale(profileId, s.videoId, s.lastWatchedAt)));
  const since = (deps.now ?? Date.now)() - STATE_TTL_MS;
  const recent = entries.filter((e) => e.lastWatchedAt.getTime() >= since);
  const latest = await deps.state.latestOf(profileId, recent.map((e) => e.videoId));
  return withLatest(entries, [...latest, ...entries.slice(recent.length).map(() => null)]);
}
