-- Up Migration

-- The transactional outbox (platform/events/outbox.ts, same DDL). ServiceResources.startOutboxRelay
-- would create it too, but its CREATE TABLE IF NOT EXISTS is not safe when replicas start at the
-- same moment (both create the row type: duplicate key on pg_type). Migrations run one at a time
-- under an advisory lock, so creating it here makes the relay's statement a no-op.
CREATE TABLE IF NOT EXISTS outbox (
  id           bigserial   PRIMARY KEY,
  event_id     text        NOT NULL UNIQUE,
  subject      text        NOT NULL,
  payload      bytea       NOT NULL,
  headers      jsonb       NOT NULL DEFAULT '{}',
  created_at   timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz
);
CREATE INDEX IF NOT EXISTS outbox_unpublished ON outbox (id) WHERE published_at IS NULL;

-- Down Migration

DROP TABLE outbox;
