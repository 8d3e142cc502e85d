-- Up Migration
-- recipient 'user': shown to every profile of one account (user_id), each with its own read
-- state. Encoding results go to the admin who uploaded the video this way: media's events name
-- the uploader's user id, not a profile. user_id is text, not uuid: it is whatever identity put in
-- the verified token, and a value that failed a cast would fail its event on every redelivery.
ALTER TABLE notifications ADD COLUMN user_id text;
ALTER TABLE notifications DROP CONSTRAINT notifications_recipient_check;
ALTER TABLE notifications DROP CONSTRAINT notifications_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_recipient_check CHECK (recipient IN ('profile', 'user', 'admins'));
ALTER TABLE notifications ADD CONSTRAINT notifications_recipient_target_check CHECK (
  (recipient = 'profile') = (profile_id IS NOT NULL) AND (recipient = 'user') = (user_id IS NOT NULL));
-- One key per recipient: the user id is part of who the recipient is.
DROP INDEX notifications_dedupe;
CREATE UNIQUE INDEX notifications_dedupe ON notifications (recipient, profile_id, user_id, dedupe_key) NULLS NOT DISTINCT
  WHERE dedupe_key IS NOT NULL;
CREATE INDEX notifications_by_user ON notifications (user_id, created_at DESC, notification_id DESC)
  WHERE recipient = 'user';

-- Down Migration
DROP INDEX notifications_by_user;
DELETE FROM notifications WHERE recipient = 'user';
DROP INDEX notifications_dedupe;
CREATE UNIQUE INDEX notifications_dedupe ON notifications (recipient, profile_id, dedupe_key) NULLS NOT DISTINCT
  WHERE dedupe_key IS NOT NULL;
ALTER TABLE notifications DROP CONSTRAINT notifications_recipient_target_check;
ALTER TABLE notifications DROP CONSTRAINT notifications_recipient_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_recipient_check CHECK (recipient IN ('profile', 'admins'));
ALTER TABLE notifications ADD CONSTRAINT notifications_check CHECK ((recipient = 'profile') = (profile_id IS NOT NULL));
ALTER TABLE notifications DROP COLUMN user_id;
