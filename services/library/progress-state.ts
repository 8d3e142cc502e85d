import type { Kv } from "../../platform/storage/kv.js";
import { DueIndex } from "./due-index.js";
import type { WatchProgress } from "./watch-store.js";

/**
 * How long the latest report, the pending mark and the saved mark stay in kv: far longer than a
 * window, so the trailing write survives a flusher outage of hours, and short enough that kv holds
 * only recent viewing (older reads come from the wide-column store, which has the same data).
 */
export const STATE_TTL_MS = 24 * 60 * 60 * 1000;

/** A player's report as the library keeps it until (and after) it is persisted. */
export interface ReportedProgress extends WatchProgress {
  /** Unique per report: tells the saved mark which report the store holds. */
  version: string;
  userId: string;
}

/** Which report the wide-column store holds for a video, and where the history files it. */
export interface SavedMark {
  version: string;
  watchedAt: Date;
  completed: boolean;
}

/**
 * The debounce state of every (profile, video) in kv:
 *
 *   latest:<p>:<v>   the last report (always written: nothing a player reported is lost, and
 *                    resume / history reads see it before it is persisted)
 *   window:<p>:<v>   present while a write happened within the window (TTL = window)
 *   pending:<p>:<v>  a write is owed; registered in the due index for when the window closes
 *   saved:<p>:<v>    the report the store holds (skips redundant writes, and gives the history
 *                    row to move without reading the store)
 */
export class ProgressState {
  readonly due: DueIndex;

  constructor(
    private readonly kv: Kv,
    private readonly prefix: string,
    private readonly windowMs: number,
  ) {
    this.due = new DueIndex(kv, `${prefix}due:`, STATE_TTL_MS);
  }

  async latest(profileId: string, videoId: string): Promise<ReportedProgress | null> {
    return decodeReport(await this.kv.get(this.key("latest", profileId, videoId)));
  }

  /** The latest reports of many videos of one profile, in the order of `videoIds` (null where none). */
  async latestOf(profileId: string, videoIds: readonly string[]): Promise<(ReportedProgress | null)[]> {
    if (videoIds.length === 0) return [];
    const values = await this.kv.mget(videoIds.map((v) => this.key("latest", profileId, v)));
    return values.map(decodeReport);
  }

  async putLatest(report: ReportedProgress): Promise<void> {
    await this.kv.set(this.key("latest", report.profileId, report.videoId), encodeReport(report), { ttlMs: STATE_TTL_MS });
  }

  /** Opens a debounce window unless one is open; resolves to whether this caller opened it. */
  openWindow(profileId: string, videoId: string): Promise<boolean> {
    return this.kv.setIfAbsent(this.key("window", profileId, videoId), "1", this.windowMs);
  }

  /** Records that a write is owed, due at `dueAtMs`, unless one is already owed (and so indexed). */
  async markPending(profileId: string, videoId: string, dueAtMs: number): Promise<void> {
    const pending = this.key("pending", profileId, videoId);
    if (!(await this.kv.setIfAbsent(pending, "1", STATE_TTL_MS))) return;
    try {
      await this.due.add(`${profileId}:${videoId}`, dueAtMs);
    } catch (err) {
      // A mark no flusher can find would stop later reports from indexing themselves: take it back.
      await this.kv.del(pending).catch(() => undefined);
      throw err;
    }
  }

  /** Claims the owed write: true for exactly one caller per mark, however many flushers race. */
  async takePending(profileId: string, videoId: string): Promise<boolean> {
    return (await this.kv.del(this.key("pending", profileId, videoId))) === 1;
  }

  async saved(profileId: string, videoId: string): Promise<SavedMark | null> {
    const raw = await this.kv.get(this.key("saved", profileId, videoId));
    if (raw === null) return null;
    const m = JSON.parse(raw) as { version: string; watchedAt: number; completed: boolean };
    return { version: m.version, watchedAt: new Date(m.watchedAt), completed: m.completed };
  }

  async putSaved(profileId: string, videoId: string, mark: SavedMark): Promise<void> {
    const value = JSON.stringify({ version: mark.version, watchedAt: mark.watchedAt.getTime(), completed: mark.completed });
    await this.kv.set(this.key("saved", profileId, videoId), value, { ttlMs: STATE_TTL_MS });
  }

  private key(kind: string, profileId: string, videoId: string): string {
    return `${this.prefix}${kind}:${profileId}:${videoId}`;
  }
}

function encodeReport(r: ReportedProgress): string {
  return JSON.stringify({ ...r, lastWatchedAt: r.lastWatchedAt.getTime() });
}

function decodeReport(raw: string | null): ReportedProgress | null {
  if (raw === null) return null;
  const r = JSON.parse(raw) as Omit<ReportedProgress, "lastWatchedAt"> & { lastWatchedAt: number };
  return { ...r, lastWatchedAt: new Date(r.lastWatchedAt) };
}
