import { randomUUID } from "node:crypto";
import { progressFraction } from "./watch-views.js";
import type { ProgressState, ReportedProgress, SavedMark } from "./progress-state.js";
import type { WatchProgress, WatchStore } from "./watch-store.js";

/** A video counts as watched once the position reaches 90 % of its runtime (seed §7.2.1). */
export const COMPLETION_THRESHOLD = 0.9;

export function isCompleted(positionSeconds: number, durationSeconds: number): boolean {
  return positionSeconds >= COMPLETION_THRESHOLD * durationSeconds;
}

/** What one persisted write announces (ProgressRecorded, plus TitleCompleted when it completes the video). */
export interface ProgressWrite {
  report: ReportedProgress;
  progress: number;
  /** True when this write turns a not-completed (or new) video into a completed one. */
  completes: boolean;
  /**
   * Identifies the completion among the video's completions (the history time of the state it
   * replaces), so two writers completing the same video announce one TitleCompleted, not two.
   */
  completionKey: string;
}

export interface ProgressRecorderDeps {
  state: ProgressState;
  store: WatchStore;
  /** Puts the write's events in the outbox; idempotent per report (see progress-announcer.ts). */
  announce: (write: ProgressWrite) => Promise<void>;
  windowMs: number;
  now?: () => number;
}

/** A report as the handler hands it over: validated, the video checked against the catalog. */
export type ProgressReport = Omit<ReportedProgress, "version" | "completed" | "lastWatchedAt">;

/**
 * Records player reports (seed §7.2.1), debounced per (profile, video):
 *
 * - every report becomes the latest in kv, so resume and history reads see it at once;
 * - the wide-column store is written at most once per window: by the report that opens the
 *   window, or, when the window closes, by the flusher with the latest report (the trailing
 *   write, so the last report of a session always lands);
 * - a report that completes the video is written at once, whatever the window.
 *
 * Ordering of a write, which cannot share a transaction across the two stores:
 *   1. the pending mark (kv) is set before anything is written, so if the process dies midway
 *      the flusher (of any replica) finishes the write from the latest report;
 *   2. the events go into the outbox (Postgres) with ids derived from the report, so a retried
 *      write finds them there and adds none;
 *   3. the wide-column rows (idempotent upserts) are written;
 *   4. the saved mark (kv) records which report the store now holds.
 * A failure at any step leaves the pending mark, and the flusher repeats steps 2-4. Events may
 * therefore precede their rows by a retry, never exist without the write being retried to the end.
 */
export class ProgressRecorder {
  private readonly now: () => number;

  constructor(private readonly deps: ProgressRecorderDeps) {
    this.now = deps.now ?? Date.now;
  }

  async report(input: ProgressReport): Promise<void> {
    const { state, windowMs } = this.deps;
    const now = this.now();
    const report: ReportedProgress = {
      ...input,
      version: randomUUID(),
      completed: isCompleted(input.positionSeconds, input.durationSeconds),
      lastWatchedAt: new Date(now),
    };
    const before = await state.latest(report.profileId, report.videoId);
    await state.putLatest(report);
    const completesNow = report.completed && before?.completed !== true;
    const opened = await state.openWindow(report.profileId, report.videoId);
    await state.markPending(report.profileId, report.videoId, now + windowMs);
    if (opened || completesNow) await this.persist(report, await state.saved(report.profileId, report.videoId));
  }

  /**
   * Writes what a pending mark owes: the latest report, unless the store already holds it. Waits
   * for the window (marking itself pending again) unless `force` (shutdown of a process whose kv
   * dies with it). On failure the mark is set again and the error rethrown for the caller to log.
   */
  async flush(profileId: string, videoId: string, force = false): Promise<void> {
    const { state, windowMs } = this.deps;
    if (!(await state.takePending(profileId, videoId))) return;
    const [latest, saved] = await Promise.all([state.latest(profileId, videoId), state.saved(profileId, videoId)]);
    if (latest === null || holds(saved, latest)) return;
    try {
      if (!force && !(await state.openWindow(profileId, videoId))) {
        await state.markPending(profileId, videoId, this.now() + windowMs);
        return;
      }
      await this.persist(latest, saved);
    } catch (err) {
      await state.markPending(profileId, videoId, this.now() + windowMs);
      throw err;
    }
  }

  /** Where the profile is in the video: the latest report, else the store. */
  async current(profileId: string, videoId: string): Promise<WatchProgress | null> {
    return (await this.deps.state.latest(profileId, videoId)) ?? (await this.deps.store.progress(profileId, videoId));
  }

  private async persist(report: ReportedProgress, saved: SavedMark | null): Promise<void> {
    const { state, store, announce } = this.deps;
    if (holds(saved, report)) return;
    // Whether this write completes the video is decided on the store itself: the saved mark may
    // lag a write that just landed (another replica's), and a missed restart would drop an event.
    const previous = saved !== null && !report.completed ? saved : markOf(await store.progress(report.profileId, report.videoId));
    const completes = report.completed && previous?.completed !== true;
    await announce({ report, progress: progressFraction(report), completes, completionKey: previous ? String(previous.watchedAt.getTime()) : "new" });
    await store.save(report, previous?.watchedAt ?? null);
    await state.putSaved(report.profileId, report.videoId, { version: report.version, watchedAt: report.lastWatchedAt, completed: report.completed });
  }
}

/** True when the store already holds this report, or a later one (a slow writer must not regress it). */
function holds(saved: SavedMark | null, report: ReportedProgress): boolean {
  return saved !== null && (saved.version === report.version || saved.watchedAt.getTime() > report.lastWatchedAt.getTime());
}

function markOf(stored: WatchProgress | null): SavedMark | null {
  return stored === null ? null : { version: "", watchedAt: stored.lastWatchedAt, completed: stored.completed };
}
