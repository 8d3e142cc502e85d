-- Up Migration
-- Unqualified names: the migrator sets search_path to the service's schema.

-- Hourly aggregates (seed 002 view_aggregates), one row per video per clock hour with activity.
-- The row is created on the hour's first heartbeat, so the flusher finds every hour whose live
-- counters (kv) it must copy; `final` once the hour has ended and been copied after its last
-- heartbeat could land. Copies only ever raise the numbers (GREATEST), so they are idempotent.
CREATE TABLE hourly_video_stats (
  video_id      uuid        NOT NULL,
  hour          timestamptz NOT NULL,
  content_id    uuid        NOT NULL,
  views         bigint      NOT NULL DEFAULT 0,
  watch_seconds bigint      NOT NULL DEFAULT 0,
  final         boolean     NOT NULL DEFAULT false,
  PRIMARY KEY (video_id, hour)
);
CREATE INDEX hourly_video_stats_open ON hourly_video_stats (video_id) WHERE NOT final;
CREATE INDEX hourly_video_stats_by_hour ON hourly_video_stats (hour, content_id);

-- Every counted view, written with its ViewCounted event (outbox) in one transaction. The key is
-- the counting rule itself (one view per profile per video per hour), so a view can never count
-- twice even if the kv dedupe flag is lost; it also answers distinct viewers over any range.
CREATE TABLE views (
  video_id   uuid        NOT NULL,
  hour       timestamptz NOT NULL,
  profile_id uuid        NOT NULL,
  content_id uuid        NOT NULL,
  user_id    text        NOT NULL,
  session_id uuid        NOT NULL,
  counted_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (video_id, hour, profile_id)
);
CREATE INDEX views_by_content ON views (content_id, hour);

-- A playback session as QoE reports describe it: claimed by its first report's caller and video.
CREATE TABLE playback_sessions (
  session_id uuid        PRIMARY KEY,
  video_id   uuid        NOT NULL,
  user_id    text        NOT NULL,
  profile_id uuid,
  started_at timestamptz NOT NULL,
  ended_at   timestamptz
);

-- Each report holds the deltas since the session's previous one.
CREATE TABLE qoe_reports (
  id                   bigserial   PRIMARY KEY,
  session_id           uuid        NOT NULL REFERENCES playback_sessions (session_id),
  video_id             uuid        NOT NULL,
  received_at          timestamptz NOT NULL,
  startup_time_ms      integer     NOT NULL,
  rebuffer_count       integer     NOT NULL,
  rebuffer_duration_ms integer     NOT NULL,
  bitrate_switches     integer     NOT NULL,
  played_duration_ms   integer     NOT NULL,
  average_bitrate      integer     NOT NULL,
  fatal_errors         integer     NOT NULL,
  errors               jsonb       NOT NULL DEFAULT '[]',
  device_type          text        NOT NULL,
  player               text        NOT NULL,
  final                boolean     NOT NULL
);
CREATE INDEX qoe_reports_by_video ON qoe_reports (video_id, received_at);
CREATE INDEX qoe_reports_by_session ON qoe_reports (session_id);

-- Down Migration
DROP TABLE qoe_reports;
DROP TABLE playback_sessions;
DROP TABLE views;
DROP TABLE hourly_video_stats;
