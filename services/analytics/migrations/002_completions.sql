-- Up Migration
-- Completions (library's TitleCompleted): a profile watched a video to the end.

-- Per video per clock hour, beside views and watch time. Unlike those it has no live counter in kv:
-- each completion is added here directly, in the transaction that records its event (below).
ALTER TABLE hourly_video_stats ADD COLUMN completions bigint NOT NULL DEFAULT 0;

-- Every completion counted, keyed by its event id. Delivery is at least once: a redelivered event
-- finds its row and adds nothing, so the hourly count moves exactly once per event.
CREATE TABLE completions (
  event_id    text        PRIMARY KEY,
  video_id    uuid        NOT NULL,
  hour        timestamptz NOT NULL,
  content_id  uuid        NOT NULL,
  profile_id  uuid        NOT NULL,
  occurred_at timestamptz NOT NULL
);
CREATE INDEX completions_by_video ON completions (video_id, hour);

-- Down Migration
DROP TABLE completions;
ALTER TABLE hourly_video_stats DROP COLUMN completions;
