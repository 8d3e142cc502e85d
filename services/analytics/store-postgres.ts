import { create } from "@bufbuild/protobuf";
import type pg from "pg";
import { ViewCountedSchema } from "../../gen/cinemesh/events/v1/analytics_events_pb.js";
import type { DomainEvents } from "../../platform/events/domain-events.js";
import { quoteSchema } from "../../platform/storage/schema-name.js";
import { withTransaction } from "../../platform/storage/postgres.js";
import type { AnalyticsStore, OpenBucket, QoeTotals, TopContentRow } from "./store.js";

/** Analytics in Postgres (`<schema>.*`, see migrations/), with ViewCounted in `<schema>.outbox`. */
export function createPostgresAnalyticsStore(pool: pg.Pool, schema: string, events: DomainEvents): AnalyticsStore {
  const s = quoteSchema(schema);

  return {
    async openBucket(b) {
      await pool.query(`INSERT INTO ${s}.hourly_video_stats (video_id, hour, content_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [b.videoId, b.hour, b.contentId]);
    },

    recordView: (v) =>
      withTransaction(pool, async (tx) => {
        const res = await tx.query(
          `INSERT INTO ${s}.views (video_id, hour, profile_id, content_id, user_id, session_id) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
          [v.videoId, v.hour, v.profileId, v.contentId, v.userId, v.sessionId],
        );
        if (res.rowCount !== 1) return false;
        await events.enqueue(
          tx,
          schema,
          ViewCountedSchema,
          create(ViewCountedSchema, { meta: events.meta(), sessionId: v.sessionId, videoId: v.videoId, contentId: v.contentId, profileId: v.profileId, userId: v.userId }),
        );
        return true;
      }),

    async openBuckets(videoId) {
      const res = await pool.query<{ video_id: string; hour: Date; content_id: string }>(
        `SELECT video_id, hour, content_id FROM ${s}.hourly_video_stats WHERE NOT final AND ($1::uuid IS NULL OR video_id = $1) ORDER BY hour, video_id`,
        [videoId ?? null],
      );
      return res.rows.map((r): OpenBucket => ({ videoId: r.video_id, hour: r.hour, contentId: r.content_id }));
    },

    async applyCounts(counts, finalBefore) {
      if (counts.length === 0) return;
      // One statement for the whole batch. A view recorded in Postgres whose kv increment never
      // happened (a crash between the two) still counts: views never fall below the recorded facts.
      await pool.query(
        `UPDATE ${s}.hourly_video_stats h
            SET views = GREATEST(h.views, c.views, (SELECT count(*) FROM ${s}.views v WHERE v.video_id = h.video_id AND v.hour = h.hour)),
                watch_seconds = GREATEST(h.watch_seconds, c.watch_seconds),
                final = h.final OR h.hour + interval '1 hour' <= $5
           FROM unnest($1::uuid[], $2::timestamptz[], $3::bigint[], $4::bigint[]) AS c(video_id, hour, views, watch_seconds)
          WHERE h.video_id = c.video_id AND h.hour = c.hour`,
        [counts.map((c) => c.bucket.videoId), counts.map((c) => c.bucket.hour), counts.map((c) => c.counts.views), counts.map((c) => c.counts.watchSeconds), finalBefore],
      );
    },

    recordCompletion: (c) =>
      withTransaction(pool, async (tx) => {
        const res = await tx.query(
          `INSERT INTO ${s}.completions (event_id, video_id, hour, content_id, profile_id, occurred_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
          [c.eventId, c.videoId, c.hour, c.contentId, c.profileId, c.occurredAt],
        );
        if (res.rowCount !== 1) return false;
        // The flusher never writes completions (they have no kv counter), so adding here cannot be
        // undone by a flush; a bucket created here is simply one more the flusher finds open.
        await tx.query(
          `INSERT INTO ${s}.hourly_video_stats AS h (video_id, hour, content_id, completions) VALUES ($1, $2, $3, 1)
           ON CONFLICT (video_id, hour) DO UPDATE SET completions = h.completions + 1`,
          [c.videoId, c.hour, c.contentId],
        );
        return true;
      }),

    async videoTotals(videoId, range) {
      const res = await pool.query<{ views: number; watch_seconds: number; unique_viewers: number; completions: number }>(
        `SELECT coalesce(sum(views), 0)::float8 AS views, coalesce(sum(watch_seconds), 0)::float8 AS watch_seconds,
                coalesce(sum(completions), 0)::float8 AS completions,
                (SELECT count(DISTINCT profile_id) FROM ${s}.views WHERE video_id = $1 AND hour > $2::timestamptz - interval '1 hour' AND hour < $3)::float8 AS unique_viewers
           FROM ${s}.hourly_video_stats WHERE video_id = $1 AND hour > $2::timestamptz - interval '1 hour' AND hour < $3`,
        [videoId, range.from, range.to],
      );
      const r = res.rows[0];
      return { views: r.views, watchSeconds: r.watch_seconds, uniqueViewers: r.unique_viewers, completions: r.completions };
    },

    async topContent(range, limit) {
      const res = await pool.query<{ content_id: string; views: number; watch_seconds: number; unique_viewers: number }>(
        `WITH top AS (
           SELECT content_id, sum(views) AS views, sum(watch_seconds) AS watch_seconds
             FROM ${s}.hourly_video_stats WHERE hour > $1::timestamptz - interval '1 hour' AND hour < $2
            GROUP BY content_id HAVING sum(views) > 0
            ORDER BY views DESC, watch_seconds DESC, content_id LIMIT $3)
         SELECT t.content_id, t.views::float8 AS views, t.watch_seconds::float8 AS watch_seconds,
                (SELECT count(DISTINCT profile_id) FROM ${s}.views v WHERE v.content_id = t.content_id AND v.hour > $1::timestamptz - interval '1 hour' AND v.hour < $2)::float8 AS unique_viewers
           FROM top t ORDER BY t.views DESC, t.watch_seconds DESC, t.content_id`,
        [range.from, range.to, limit],
      );
      return res.rows.map((r): TopContentRow => ({ contentId: r.content_id, views: r.views, watchSeconds: r.watch_seconds, uniqueViewers: r.unique_viewers }));
    },

    recordQoe: (q) =>
      withTransaction(pool, async (tx) => {
        await tx.query(
          `INSERT INTO ${s}.playback_sessions (session_id, video_id, user_id, profile_id, started_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
          [q.sessionId, q.videoId, q.userId, q.profileId ?? null, q.receivedAt],
        );
        // Locked, so a final report and a late one of the same session cannot both get in after the end.
        const session = (
          await tx.query<{ video_id: string; user_id: string; ended_at: Date | null }>(`SELECT video_id, user_id, ended_at FROM ${s}.playback_sessions WHERE session_id = $1 FOR UPDATE`, [q.sessionId])
        ).rows[0];
        if (session.user_id !== q.userId) return "session-of-another-caller";
        if (session.video_id !== q.videoId) return "session-of-another-video";
        if (session.ended_at !== null) return "session-ended";
        await tx.query(
          `INSERT INTO ${s}.qoe_reports (session_id, video_id, received_at, startup_time_ms, rebuffer_count, rebuffer_duration_ms, bitrate_switches,
                                         played_duration_ms, average_bitrate, fatal_errors, errors, device_type, player, final)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
          [
            q.sessionId, q.videoId, q.receivedAt, q.startupTimeMs, q.rebufferCount, q.rebufferDurationMs, q.bitrateSwitches,
            q.playedDurationMs, q.averageBitrate, q.errors.filter((e) => e.fatal).length, JSON.stringify(q.errors), q.deviceType, q.player, q.final,
          ],
        );
        if (q.final) await tx.query(`UPDATE ${s}.playback_sessions SET ended_at = $2 WHERE session_id = $1`, [q.sessionId, q.receivedAt]);
        return null;
      }),

    async qoeTotals(videoId, range) {
      const res = await pool.query<QoeRow>(
        `WITH r AS (
           SELECT * FROM ${s}.qoe_reports WHERE video_id = $1 AND received_at >= $2 AND received_at < $3),
         per_session AS (
           SELECT session_id, bool_or(fatal_errors > 0) AS fatal,
                  (array_agg(startup_time_ms ORDER BY id) FILTER (WHERE startup_time_ms > 0))[1] AS startup
             FROM r GROUP BY session_id)
         SELECT (SELECT count(*) FROM per_session)::float8 AS sessions,
                (SELECT count(*) FROM per_session WHERE fatal)::float8 AS fatal_sessions,
                (SELECT coalesce(percentile_cont(0.5) WITHIN GROUP (ORDER BY startup), 0) FROM per_session) AS median_startup,
                (SELECT coalesce(percentile_cont(0.95) WITHIN GROUP (ORDER BY startup), 0) FROM per_session) AS p95_startup,
                coalesce(sum(rebuffer_duration_ms), 0)::float8 AS rebuffer_ms,
                coalesce(sum(played_duration_ms), 0)::float8 AS played_ms,
                coalesce(sum(bitrate_switches), 0)::float8 AS switches,
                coalesce(sum(average_bitrate::float8 * played_duration_ms), 0)::float8 AS bitrate_ms
           FROM r`,
        [videoId, range.from, range.to],
      );
      const r = res.rows[0];
      return {
        sessions: r.sessions,
        sessionsWithFatalError: r.fatal_sessions,
        medianStartupTimeMs: r.median_startup,
        p95StartupTimeMs: r.p95_startup,
        rebufferDurationMs: r.rebuffer_ms,
        playedDurationMs: r.played_ms,
        bitrateSwitches: r.switches,
        bitrateTimesPlayedMs: r.bitrate_ms,
      } satisfies QoeTotals;
    },
  };
}

interface QoeRow {
  sessions: number;
  fatal_sessions: number;
  median_startup: number;
  p95_startup: number;
  rebuffer_ms: number;
  played_ms: number;
  switches: number;
  bitrate_ms: number;
}
