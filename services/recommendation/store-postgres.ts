import type pg from "pg";
import { quoteSchema } from "../../platform/storage/schema-name.js";
import type { Interaction, TitleFeatures } from "./ranking/titles.js";
import { interactionWeight } from "./ranking/weights.js";
import type { SignalStore, TitleCard, WatchSignal } from "./store.js";

/** A start below 10 % that the profile has not gone back to for this long counts as abandoned. */
export const ABANDONED_AFTER_MS = 3 * 24 * 3600_000;

/**
 * Signals in Postgres (`<schema>.watch_signals`, `ratings`, `my_list`, `views`, and the catalog
 * copy `titles`; see migrations/). Each write is one upsert
 * whose update only happens when the event is newer, by (occurred_at, event id), than the one that
 * wrote that part of the row. An older or repeated event therefore changes nothing at all: its
 * time cannot raise `last_watched_at` either, which is at least the newer event's time.
 */
export function createPostgresSignalStore(pool: pg.Pool, schema: string): SignalStore {
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

    async recordRating(r) {
      await pool.query(
        `INSERT INTO ${s}.ratings AS r (profile_id, content_id, stars, rated_at, event_id) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (profile_id, content_id) DO UPDATE
            SET stars = EXCLUDED.stars, rated_at = EXCLUDED.rated_at, event_id = EXCLUDED.event_id
          WHERE (EXCLUDED.rated_at, EXCLUDED.event_id) > (r.rated_at, r.event_id)`,
        [r.profileId, r.contentId, r.stars, r.occurredAt, r.eventId],
      );
    },

    async recordMyList(m) {
      await pool.query(
        `INSERT INTO ${s}.my_list AS m (profile_id, content_id, listed, changed_at, event_id) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (profile_id, content_id) DO UPDATE
            SET listed = EXCLUDED.listed, changed_at = EXCLUDED.changed_at, event_id = EXCLUDED.event_id
          WHERE (EXCLUDED.changed_at, EXCLUDED.event_id) > (m.changed_at, m.event_id)`,
        [m.profileId, m.contentId, m.listed, m.occurredAt, m.eventId],
      );
    },

    async recordView(v) {
      await pool.query(`INSERT INTO ${s}.views (event_id, content_id, occurred_at) VALUES ($1, $2, $3) ON CONFLICT (event_id) DO NOTHING`, [
        v.eventId,
        v.contentId,
        v.occurredAt,
      ]);
    },

    async recordTitle(t) {
      await pool.query(
        `INSERT INTO ${s}.titles AS t (content_id, version, features, card) VALUES ($1, $2, $3, $4)
         ON CONFLICT (content_id) DO UPDATE SET version = EXCLUDED.version, features = EXCLUDED.features, card = EXCLUDED.card
          WHERE EXCLUDED.version > t.version`,
        [t.contentId, t.version, t.published ? JSON.stringify(t.published.features) : null, t.published ? JSON.stringify(t.published.card) : null],
      );
    },

    async tasteOf(profileId, now) {
      const res = await pool.query<TasteRow>(
        `SELECT $1::uuid AS profile_id, ${TASTE_COLUMNS}
           FROM (SELECT * FROM ${s}.watch_signals WHERE profile_id = $1) w
           FULL JOIN (SELECT * FROM ${s}.ratings WHERE profile_id = $1) r USING (content_id)
           FULL JOIN (SELECT * FROM ${s}.my_list WHERE profile_id = $1) m USING (content_id)`,
        [profileId],
      );
      return interactionsOf(res.rows, now);
    },

    async allInteractions(now) {
      const res = await pool.query<TasteRow>(
        `SELECT profile_id, ${TASTE_COLUMNS}
           FROM ${s}.watch_signals w
           FULL JOIN ${s}.ratings r USING (profile_id, content_id)
           FULL JOIN ${s}.my_list m USING (profile_id, content_id)`,
      );
      return interactionsOf(res.rows, now);
    },

    async publishedTitles() {
      const res = await pool.query<{ features: TitleFeatures; card: TitleCard }>(
        `SELECT features, card FROM ${s}.titles WHERE features IS NOT NULL ORDER BY content_id`,
      );
      return res.rows;
    },

    async cards(contentIds) {
      if (contentIds.length === 0) return new Map();
      const res = await pool.query<{ content_id: string; card: TitleCard }>(
        `SELECT content_id, card FROM ${s}.titles WHERE content_id = ANY($1::uuid[]) AND card IS NOT NULL`,
        [contentIds],
      );
      return new Map(res.rows.map((r) => [r.content_id, r.card]));
    },

    async trending(q) {
      const now = new Date();
      const res = await pool.query<{ content_id: string; views: number; score: number }>(
        `SELECT v.content_id, count(*)::int AS views,
                sum(power(0.5, extract(epoch FROM ($1::timestamptz - v.occurred_at)) * 1000 / $2))::float8 AS score
           FROM ${s}.views v JOIN ${s}.titles t ON t.content_id = v.content_id AND t.features IS NOT NULL
          WHERE v.occurred_at > $1::timestamptz - $3 * interval '1 millisecond'
            AND ($4::text IS NULL OR EXISTS (SELECT 1 FROM jsonb_array_elements_text(t.features->'genres') g WHERE lower(g) = lower($4)))
            AND ($5::int IS NULL OR (t.features->>'minAge')::int <= $5)
          GROUP BY v.content_id ORDER BY score DESC, v.content_id LIMIT $6`,
        [now, q.halfLifeMs, q.windowMs, q.genre ?? null, q.maxAge ?? null, q.limit],
      );
      return res.rows.map((r) => ({ contentId: r.content_id, views: r.views, score: r.score }));
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

/** What a profile did with a title, from the three signal tables joined on (profile, title). */
const TASTE_COLUMNS = `content_id, w.completed_at IS NOT NULL AS completed, w.progress, w.progress_at, w.last_watched_at,
  r.stars, r.rated_at, coalesce(m.listed, false) AS listed, m.changed_at AS listed_at`;

interface TasteRow {
  profile_id: string;
  content_id: string;
  completed: boolean;
  progress: number | null;
  progress_at: Date | null;
  last_watched_at: Date | null;
  stars: number | null;
  rated_at: Date | null;
  listed: boolean;
  listed_at: Date | null;
}

function interactionsOf(rows: TasteRow[], now: Date): Interaction[] {
  return rows.flatMap((r) => {
    const preference = interactionWeight({
      completed: r.completed,
      progress: r.progress === null ? undefined : { fraction: r.progress, abandoned: now.getTime() - r.progress_at!.getTime() > ABANDONED_AFTER_MS },
      stars: r.stars ?? undefined,
      listed: r.listed,
    });
    if (preference === undefined) return [];
    const at = Math.max(r.last_watched_at?.getTime() ?? 0, r.rated_at?.getTime() ?? 0, r.listed ? (r.listed_at?.getTime() ?? 0) : 0);
    return [{ profileId: r.profile_id, contentId: r.content_id, weight: preference.weight, kind: preference.kind, at }];
  });
}
