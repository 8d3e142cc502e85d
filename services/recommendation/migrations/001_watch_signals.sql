-- Up Migration
-- Unqualified names: the migrator sets search_path to the service's schema.

-- What each profile watched, per title, as the library reports it (ProgressRecorded, TitleCompleted):
-- the signals ranking will read. Events arrive at least once and in any order, so each part of the
-- row is a register that only an event that happened later (meta.occurred_at, then event id to
-- break ties) may overwrite. Replaying any set of events in any order leaves the same row.
CREATE TABLE watch_signals (
  profile_id         uuid        NOT NULL,
  content_id         uuid        NOT NULL,
  -- The latest time anything of the title was watched (progress or completion).
  last_watched_at    timestamptz NOT NULL,

  -- The newest ProgressRecorded of any video of the title (for a show: the episode last played).
  progress_at        timestamptz,
  progress_event_id  text,
  progress_video_id  uuid,
  position_seconds   integer,
  duration_seconds   integer,
  progress           real,

  -- The newest TitleCompleted: set once the profile has watched a video of the title to the end.
  completed_at       timestamptz,
  completed_event_id text,
  completed_video_id uuid,

  PRIMARY KEY (profile_id, content_id)
);
-- A profile's titles, most recently watched first: what "because you watched" starts from.
CREATE INDEX watch_signals_recent ON watch_signals (profile_id, last_watched_at DESC);

-- Down Migration
DROP TABLE watch_signals;
