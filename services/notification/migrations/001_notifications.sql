-- Up Migration
-- Unqualified names: the migrator sets search_path to the service's schema.
-- Profiles live in identity, titles in catalog: no foreign keys to them.

-- recipient 'profile': shown to profile_id. recipient 'admins': shown to every profile of every
-- admin account (read at view time from the caller's verified role).
CREATE TABLE notifications (
  notification_id uuid        PRIMARY KEY,
  recipient       text        NOT NULL CHECK (recipient IN ('profile', 'admins')),
  profile_id      uuid,
  kind            text        NOT NULL,
  title           text        NOT NULL,
  body            text        NOT NULL DEFAULT '',
  content_id      uuid,
  image_url       text        NOT NULL DEFAULT '',
  link            text        NOT NULL DEFAULT '',
  dedupe_key      text,
  created_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
  CHECK ((recipient = 'profile') = (profile_id IS NOT NULL))
);
-- CreateNotification is idempotent per recipient and dedupe key (NULLS NOT DISTINCT: one key
-- per admins audience too).
CREATE UNIQUE INDEX notifications_dedupe ON notifications (recipient, profile_id, dedupe_key) NULLS NOT DISTINCT
  WHERE dedupe_key IS NOT NULL;
-- A profile's list, newest first, with a unique tiebreak so pages never overlap.
CREATE INDEX notifications_by_profile ON notifications (profile_id, created_at DESC, notification_id DESC)
  WHERE recipient = 'profile';
CREATE INDEX notifications_for_admins ON notifications (created_at DESC, notification_id DESC)
  WHERE recipient = 'admins';

-- Read state per viewing profile (an admins notification is read or not on each admin profile).
CREATE TABLE reads (
  profile_id      uuid        NOT NULL,
  notification_id uuid        NOT NULL REFERENCES notifications ON DELETE CASCADE,
  read_at         timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (profile_id, notification_id)
);

-- Down Migration
DROP TABLE reads;
DROP TABLE notifications;
