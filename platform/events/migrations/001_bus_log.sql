-- Up Migration
-- The embedded bus (bus-postgres.ts). Unqualified names: the migrator sets search_path to the bus schema.

-- Every published message of both streams, in publish order (ids are assigned under a lock, so
-- a reader that sees id n has seen every committed id below n).
CREATE TABLE messages (
  id         bigserial   PRIMARY KEY,
  stream     text        NOT NULL, -- '<namespace>.events' or '<namespace>.work'
  subject    text        NOT NULL,
  payload    bytea       NOT NULL,
  msg_id     text        UNIQUE,
  headers    jsonb       NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX messages_stream_id ON messages (stream, id);
CREATE INDEX messages_created_at ON messages (created_at);

-- One row per durable consumer group: every message of the stream up to `cursor` has been
-- turned into a delivery (if the filter matched).
CREATE TABLE consumers (
  stream         text        NOT NULL,
  name           text        NOT NULL,
  filter_subject text        NOT NULL,
  cursor         bigint      NOT NULL DEFAULT 0,
  created_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (stream, name)
);

-- Messages a group still owes work on. A claim leases a row until visible_at (ack wait);
-- nak moves visible_at; ack and term delete the row.
CREATE TABLE deliveries (
  stream     text        NOT NULL,
  consumer   text        NOT NULL,
  message_id bigint      NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
  deliveries integer     NOT NULL DEFAULT 0,
  visible_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (stream, consumer, message_id),
  FOREIGN KEY (stream, consumer) REFERENCES consumers (stream, name) ON DELETE CASCADE
);
CREATE INDEX deliveries_message ON deliveries (message_id);

-- Down Migration
DROP TABLE deliveries;
DROP TABLE consumers;
DROP TABLE messages;
