import type pg from "pg";
import { withTransaction } from "../storage/postgres.js";
import { quoteSchema } from "../storage/schema-name.js";
import { traceHeaders } from "../telemetry/tracer.js";

/**
 * Transactional outbox, write side. A service writes its state change and the event announcing
 * it in one transaction; the relay (outbox-relay.ts) publishes committed events afterwards. So
 * an event exists if and only if its change committed, and a bus outage delays events but
 * never loses them.
 */

/** DDL of `<schema>.outbox`. */
function outboxTableSql(schema: string): string {
  const table = `${quoteSchema(schema)}.outbox`;
  return `
CREATE TABLE IF NOT EXISTS ${table} (
  id           bigserial   PRIMARY KEY,
  event_id     text        NOT NULL UNIQUE,
  subject      text        NOT NULL,
  payload      bytea       NOT NULL,
  headers      jsonb       NOT NULL DEFAULT '{}',
  created_at   timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz
);
CREATE INDEX IF NOT EXISTS outbox_unpublished ON ${table} (id) WHERE published_at IS NULL;
`;
}

/**
 * Creates `<schema>.outbox` if absent (idempotent); every service's outbox comes from here.
 * Replicas starting together would race on CREATE TABLE IF NOT EXISTS (it is not atomic in
 * Postgres: the loser fails on pg_type), so creation is serialised by an advisory lock.
 */
export async function createOutboxTable(pool: pg.Pool, schema: string): Promise<void> {
  await withTransaction(pool, async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`cinemesh.outbox.${schema}`]);
    await tx.query(`CREATE SCHEMA IF NOT EXISTS ${quoteSchema(schema)}; ${outboxTableSql(schema)}`);
  });
}

export interface OutboxEvent {
  subject: string;
  payload: Uint8Array;
  /** The event id; becomes the bus msgId, so a relay that publishes twice is deduplicated. */
  msgId: string;
  headers?: Record<string, string>;
}

/**
 * Records an event in the caller's transaction. `tx` must be the client that is inside
 * BEGIN … COMMIT with the state change (e.g. from withTransaction); the relay is notified on commit.
 * The active trace context is stored with the row, so the event's consumers join the trace of the
 * call that caused it.
 */
export async function enqueueEvent(tx: pg.ClientBase, schema: string, event: OutboxEvent): Promise<void> {
  const payload = Buffer.from(event.payload.buffer, event.payload.byteOffset, event.payload.byteLength);
  await tx.query(
    `WITH ins AS (
       INSERT INTO ${quoteSchema(schema)}.outbox (event_id, subject, payload, headers) VALUES ($1, $2, $3, $4))
     SELECT pg_notify($5, '')`,
    [event.msgId, event.subject, payload, traceHeaders({ ...event.headers }), outboxChannel(schema)],
  );
}

export function outboxChannel(schema: string): string {
  return `${schema}.outbox`;
}
