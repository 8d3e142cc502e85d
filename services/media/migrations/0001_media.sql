-- Up Migration
-- Unqualified names: the migrator sets search_path to the service's schema.

-- One encoding job: one uploaded source of one video through the whole ladder.
CREATE TABLE jobs (
  job_id            uuid PRIMARY KEY,
  video_id          uuid NOT NULL,
  content_id        uuid NOT NULL,
  status            text NOT NULL CHECK (status IN ('PENDING', 'PROCESSING', 'COMPLETED', 'FAILED')),
  -- Object-store key of the uploaded source (exists once the upload completed).
  source_object_key text NOT NULL,
  -- The admin who uploaded the source (notified when the job ends).
  created_by        text NOT NULL,
  -- Deliveries a worker has started; compared with MEDIA_MAX_ATTEMPTS.
  attempts          integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  worker_id         text NOT NULL DEFAULT '',
  -- Latest progress, written at most about once a second per job, so a late watcher starts from it.
  progress          double precision NOT NULL DEFAULT 0 CHECK (progress >= 0 AND progress <= 100),
  renditions        jsonb NOT NULL DEFAULT '[]',
  eta_seconds       integer NOT NULL DEFAULT 0,
  failure_reason    text NOT NULL DEFAULT '',
  -- Error of the last failed attempt (the job may still be retried).
  last_error        text NOT NULL DEFAULT '',
  duration_seconds  integer NOT NULL DEFAULT 0,
  -- What a successful job produced (catalog VideoFile shapes, manifest keys): ListRenditions.
  outcome           jsonb,
  created_at        timestamptz NOT NULL DEFAULT now(),
  started_at        timestamptz,
  completed_at      timestamptz,
  updated_at        timestamptz NOT NULL DEFAULT now(),
  CHECK ((status IN ('COMPLETED', 'FAILED')) = (completed_at IS NOT NULL)),
  CHECK ((status = 'FAILED') = (failure_reason <> ''))
);
CREATE INDEX jobs_video_completed ON jobs (video_id, completed_at DESC) WHERE status = 'COMPLETED';

-- The upload session of a job's source (tus or multipart).
CREATE TABLE uploads (
  upload_id     uuid PRIMARY KEY,
  job_id        uuid NOT NULL UNIQUE REFERENCES jobs (job_id),
  video_id      uuid NOT NULL,
  content_id    uuid NOT NULL,
  filename      text NOT NULL,
  size_bytes    bigint NOT NULL CHECK (size_bytes > 0),
  content_type  text NOT NULL DEFAULT '',
  object_key    text NOT NULL,
  created_by    text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL,
  completed_at  timestamptz
);

-- Subtitle tracks uploaded for a video (WebVTT in the object store); the catalog has them too.
CREATE TABLE subtitles (
  video_id        uuid NOT NULL,
  language        text NOT NULL,
  closed_captions boolean NOT NULL,
  label           text NOT NULL,
  object_key      text NOT NULL,
  updated_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (video_id, language, closed_captions)
);

-- Down Migration
DROP TABLE subtitles;
DROP TABLE uploads;
DROP TABLE jobs;
