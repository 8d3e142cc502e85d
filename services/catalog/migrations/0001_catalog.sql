-- Up Migration
-- Unqualified names: the migrator sets search_path to the service's schema.
-- Lengths of user text are enforced by the proto rules at the API; the database keeps the
-- invariants that hold whatever the caller (types, enums, slots, marker order).

-- A title: a movie or a TV show (seeds §3.3, §7.3).
CREATE TABLE content (
  content_id       uuid PRIMARY KEY,
  title            text NOT NULL CHECK (title <> ''),
  description      text NOT NULL DEFAULT '',
  type             text NOT NULL CHECK (type IN ('MOVIE', 'TV_SHOW')),
  release_year     integer NOT NULL,
  duration_minutes integer NOT NULL DEFAULT 0 CHECK (duration_minutes >= 0),
  rating           text NOT NULL CHECK (rating IN ('G', 'PG', 'PG-13', 'R', 'NC-17', 'TV-Y', 'TV-Y7', 'TV-G', 'TV-PG', 'TV-14', 'TV-MA')),
  language         text NOT NULL DEFAULT 'en',
  director         text NOT NULL DEFAULT '',
  thumbnail_url    text NOT NULL DEFAULT '',
  backdrop_url     text NOT NULL DEFAULT '',
  trailer_url      text NOT NULL DEFAULT '',
  status           text NOT NULL CHECK (status IN ('DRAFT', 'PUBLISHED')),
  -- Maintained from other services' events (views, ratings); sort keys of category pages.
  popularity       double precision NOT NULL DEFAULT 0,
  average_rating   double precision NOT NULL DEFAULT 0,
  rating_count     bigint NOT NULL DEFAULT 0,
  view_count       bigint NOT NULL DEFAULT 0,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  published_at     timestamptz,
  CHECK ((status = 'PUBLISHED') = (published_at IS NOT NULL))
);

-- Admin listing: most recently updated first, optionally by status.
CREATE INDEX content_by_updated ON content (updated_at DESC, content_id);
CREATE INDEX content_by_status_updated ON content (status, updated_at DESC, content_id);
-- Sort keys of category pages, over published titles only.
CREATE INDEX content_published_by_popularity ON content (popularity DESC, content_id) WHERE status = 'PUBLISHED';
CREATE INDEX content_published_by_newest ON content (release_year DESC, published_at DESC, content_id) WHERE status = 'PUBLISHED';
CREATE INDEX content_published_by_rating ON content (average_rating DESC, rating_count DESC, content_id) WHERE status = 'PUBLISHED';
CREATE INDEX content_published_by_title ON content ((title COLLATE "und-x-icu"), content_id) WHERE status = 'PUBLISHED';

-- Genres are identified by slug ("science-fiction"); the display name is the first spelling used.
CREATE TABLE genres (
  slug text PRIMARY KEY CHECK (slug <> ''),
  name text NOT NULL CHECK (name <> '')
);

CREATE TABLE content_genres (
  content_id uuid NOT NULL REFERENCES content ON DELETE CASCADE,
  slug       text NOT NULL REFERENCES genres,
  position   smallint NOT NULL,
  PRIMARY KEY (content_id, slug)
);
-- Category pages: the titles of one genre.
CREATE INDEX content_genres_by_slug ON content_genres (slug, content_id);

-- Cast in billing order; a name may appear twice (two roles).
CREATE TABLE content_cast (
  content_id uuid NOT NULL REFERENCES content ON DELETE CASCADE,
  position   smallint NOT NULL,
  name       text NOT NULL CHECK (name <> ''),
  PRIMARY KEY (content_id, position)
);
CREATE INDEX content_cast_by_name ON content_cast (name);

CREATE TABLE seasons (
  season_id     uuid PRIMARY KEY,
  content_id    uuid NOT NULL REFERENCES content ON DELETE CASCADE,
  season_number integer NOT NULL CHECK (season_number >= 1),
  title         text NOT NULL DEFAULT '',
  description   text NOT NULL DEFAULT '',
  release_year  integer,
  UNIQUE (content_id, season_number)
);

-- A playable video (seeds §3.4): a movie's feature (no season/episode) or a TV episode.
CREATE TABLE videos (
  video_id           uuid PRIMARY KEY,
  content_id         uuid NOT NULL REFERENCES content ON DELETE CASCADE,
  season_number      integer,
  episode_number     integer CHECK (episode_number >= 1),
  title              text NOT NULL DEFAULT '',
  description        text NOT NULL DEFAULT '',
  duration_seconds   integer NOT NULL DEFAULT 0 CHECK (duration_seconds >= 0),
  status             text NOT NULL CHECK (status IN ('AWAITING_UPLOAD', 'PROCESSING', 'READY', 'FAILED')),
  thumbnail_url      text NOT NULL DEFAULT '',
  hls_manifest_path  text NOT NULL DEFAULT '',
  dash_manifest_path text NOT NULL DEFAULT '',
  trickplay_vtt_path text NOT NULL DEFAULT '',
  preview_path       text NOT NULL DEFAULT '',
  encoding_job_id    uuid,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  CHECK ((season_number IS NULL) = (episode_number IS NULL)),
  FOREIGN KEY (content_id, season_number) REFERENCES seasons (content_id, season_number) ON DELETE CASCADE
);
-- One feature per movie, one video per episode slot.
CREATE UNIQUE INDEX videos_feature_slot ON videos (content_id) WHERE season_number IS NULL;
CREATE UNIQUE INDEX videos_episode_slot ON videos (content_id, season_number, episode_number) WHERE season_number IS NOT NULL;

-- Skip-intro and next-episode markers, seconds from the start; a missing row means no markers.
CREATE TABLE video_markers (
  video_id              uuid PRIMARY KEY REFERENCES videos ON DELETE CASCADE,
  intro_start_seconds   integer CHECK (intro_start_seconds >= 0),
  intro_end_seconds     integer,
  credits_start_seconds integer CHECK (credits_start_seconds >= 0),
  credits_end_seconds   integer,
  CHECK (intro_end_seconds > intro_start_seconds),
  CHECK (credits_end_seconds > credits_start_seconds)
);

-- Encoded renditions (seeds §3.5 VideoFile).
CREATE TABLE video_files (
  file_id          uuid PRIMARY KEY,
  video_id         uuid NOT NULL REFERENCES videos ON DELETE CASCADE,
  quality          text NOT NULL CHECK (quality IN ('360p', '480p', '720p', '1080p', '2160p')),
  codec            text NOT NULL,
  bitrate          integer NOT NULL,
  peak_bitrate     integer NOT NULL,
  resolution       text NOT NULL,
  width            integer NOT NULL,
  height           integer NOT NULL,
  frame_rate       double precision NOT NULL,
  storage_location text NOT NULL,
  size_bytes       bigint NOT NULL,
  UNIQUE (video_id, quality)
);

CREATE TABLE audio_tracks (
  track_id         uuid PRIMARY KEY,
  video_id         uuid NOT NULL REFERENCES videos ON DELETE CASCADE,
  position         smallint NOT NULL,
  language         text NOT NULL,
  label            text NOT NULL,
  codec            text NOT NULL,
  channels         integer NOT NULL,
  bitrate          integer NOT NULL,
  storage_location text NOT NULL,
  is_default       boolean NOT NULL,
  UNIQUE (video_id, position)
);

CREATE TABLE subtitles (
  subtitle_id      uuid PRIMARY KEY,
  video_id         uuid NOT NULL REFERENCES videos ON DELETE CASCADE,
  language         text NOT NULL,
  label            text NOT NULL,
  format           text NOT NULL CHECK (format IN ('SRT', 'WEBVTT')),
  storage_location text NOT NULL,
  closed_captions  boolean NOT NULL,
  UNIQUE (video_id, language, closed_captions)
);

-- Down Migration
DROP TABLE subtitles;
DROP TABLE audio_tracks;
DROP TABLE video_files;
DROP TABLE video_markers;
DROP TABLE videos;
DROP TABLE seasons;
DROP TABLE content_cast;
DROP TABLE content_genres;
DROP TABLE genres;
DROP TABLE content;
