-- Up Migration
-- Ratings and their totals live in the wide-column store (ScyllaDB, or tables the adapter creates
-- in this schema when embedded). Postgres holds the outbox that carries ContentRated events;
-- same definition as platform/events/outbox.ts, which the relay creates only if absent.
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
