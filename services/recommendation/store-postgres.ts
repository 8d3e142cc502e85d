import type pg from "pg";
import { quoteSchema } from "../../platform/storage/schema-name.js";
import type { WatchSignal, WatchSignalStore } from "./store.js";

/**
 * Watch signals in Postgres (`<schema>.watch_signals`, see migrations/). Each write is one upsert
 * whose update only happens when the event is newer, by (occurred_at, event id), than the one that
 * wrote that part of the row. An older or repeated event therefore changes nothing at all: its
 * time cannot raise `last_watched_at` either, which is at least the newer event's time.
 */
export function createPostgresWatchSignalStore(pool: pg.Pool, schema: string): WatchSignalStore {
  const s = quoteSchema(schema);

  return {
    async recordProgress(p) {
      await pool.query(
        `INSERT INTO ${s}.watch_signals AS w
                (profile_id, content_id, last_watched_at, progress_at, progress_event_id, progress_video_id, position_seconds, duration_seconds, progress)
         VALUES ($1, $2, $3, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (profile_id, content_id) DO UPDATE
            SET last_watched_at = GREATEST(w.last_watched_at, EXCLUDED.last_watched_at),
                progress_at = EXCLUDED.progress_at, progress_event_id = EXCLUDED.progress_event_id,
                progress_video_id = EXCLUDED.progress_video_id, position_seconds = EXCLUDED.position_seconds,
                duration_seconds = EXCLUDED.duration_seconds, progress = EXCLUDED.progress
          WHERE w.progress_at IS NULL OR (EXCLUDED.progress_at, EXCLUDED.progress_event_id) > (w.progress_at, w.progress_event_id)`,
        [p.profileId, p.contentId, p.occurredAt, p.eventId, p.videoId, p.positionSeconds, p.durationSeconds, p.progress],
      );
    },

    async recordCompletion(c) {
      await pool.query(
        `INSERT INTO ${s}.watch_signals AS w (profile_id, content_id, last_watched_at, completed_at, completed_event_id, completed_video_id)
         VALUES ($1, $2, $3, $3, $4, $5)
         ON CONFLICT (profile_id, content_id) DO UPDATE
            SET last_watched_at = GREATEST(w.last_watched_at, EXCLUDED.last_watched_at),
                completed_at = EXCLUDED.completed_at, completed_event_id = EXCLUDED.completed_event_id, completed_video_id = EXCLUDED.completed_video_id
          WHERE w.completed_at IS NULL OR (EXCLUDED.completed_at, EXCLUDED.completed_event_id) > (w.completed_at, w.completed_event_id)`,
        [c.profileId, c.contentId, c.occurredAt, c.eventId, c.videoId],
      );
    },

    async signalsOf(profileId, limit) {
      const res = await pool.query<SignalRow>(
        `SELECT profile_id, content_id, last_watched_at, progress_at, progress_video_id, position_seconds, duration_seconds, progress,
                completed_at, completed_video_id
           FROM ${s}.watch_signals WHERE profile_id = $1 ORDER BY last_watched_at DESC, content_id LIMIT $2`,
        [profileId, limit],
      );
      return res.rows.map(toSignal);
    },
  };
}

interface SignalRow {
  profile_id: string;
  content_id: string;
  last_watched_at: Date;
  progress_at: Date | null;
  progress_video_id: string | null;
  position_seconds: number | null;
  duration_seconds: number | null;
  progress: number | null;
  completed_at: Date | null;
  completed_video_id: string | null;
}

function toSignal(r: SignalRow): WatchSignal {
  return {
    profileId: r.profile_id,
    contentId: r.content_id,
    lastWatchedAt: r.last_watched_at,
    lastProgress:
      r.progress_at === null
        ? undefined
        : { videoId: r.progress_video_id!, positionSeconds: r.position_seconds!, durationSeconds: r.duration_seconds!, progress: r.progress!, at: r.progress_at },
    completed: r.completed_at !== null,
    lastCompletion: r.completed_at === null ? undefined : { videoId: r.completed_video_id!, at: r.completed_at },
  };
}
