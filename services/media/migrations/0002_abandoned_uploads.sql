-- Up Migration
-- The sweep of abandoned uploads looks for unfinished sessions past their expiry.
CREATE INDEX uploads_unfinished_by_expiry ON uploads (expires_at) WHERE completed_at IS NULL;

-- Down Migration
DROP INDEX uploads_unfinished_by_expiry;
