import type pg from "pg";
import type { StreamKind } from "./bus.js";

/** A claimed delivery: the message plus the group's delivery count, which is also the lease token. */
export interface ClaimedRow {
  message_id: string;
  deliveries: number;
  subject: string;
  payload: Buffer;
  msg_id: string | null;
  headers: Record<string, string>;
}

/** Streams are named `<namespace>.<kind>`, so namespaces sharing a database stay apart. */
export interface StreamRef {
  name: string;
  kind: StreamKind;
}

export function streamRef(namespace: string, kind: StreamKind): StreamRef {
  return { name: `${namespace}.${kind}`, kind };
}

export interface ConsumerKey {
  stream: StreamRef;
  name: string;
}

/**
 * The SQL of the Postgres bus: a message log shared by all processes, and per-group cursors and
 * leases on it. Every statement is a single round trip and safe to run from any number of
 * processes at once.
 */
export class BusLog {
  readonly channel: string;
  private readonly t: { messages: string; consumers: string; deliveries: string };

  constructor(
    private readonly pool: pg.Pool,
    private readonly schema: string,
  ) {
    const q = `"${schema}"`;
    this.t = { messages: `${q}.messages`, consumers: `${q}.consumers`, deliveries: `${q}.deliveries` };
    this.channel = `${schema}.messages`;
  }

  /**
   * Appends a message and notifies listeners on commit. The transaction-scoped advisory lock
   * makes ids increase in commit order: an id is drawn only after every earlier publisher has
   * committed, so a group cursor can never pass a message that is still being written.
   */
  async publish(stream: StreamRef, subject: string, payload: Uint8Array, msgId: string | undefined, headers: Record<string, string>): Promise<boolean> {
    const { rows } = await this.pool.query<{ inserted: boolean }>(
      `WITH lock AS (SELECT pg_advisory_xact_lock(hashtext($6)))
       , ins AS (
         INSERT INTO ${this.t.messages} (stream, subject, payload, msg_id, headers)
         SELECT $1, $2, $3, $4, $5 FROM lock
         ON CONFLICT (msg_id) DO NOTHING
         RETURNING id)
       SELECT EXISTS (SELECT 1 FROM ins) AS inserted, pg_notify($6, $1)`,
      [stream.name, subject, Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength), msgId ?? null, headers, this.channel],
    );
    return rows[0].inserted;
  }

  /** Creates the group if new (starting at the oldest retained message); returns its filter. */
  async register(key: ConsumerKey, filterSubject: string): Promise<string> {
    // Two processes registering a new group at once: the loser's statement snapshot predates the
    // winner's insert, so it sees no row at all; the next attempt does.
    for (;;) {
      const filter = await this.tryRegister(key, filterSubject);
      if (filter !== undefined) return filter;
    }
  }

  private async tryRegister(key: ConsumerKey, filterSubject: string): Promise<string | undefined> {
    const { rows } = await this.pool.query<{ filter_subject: string }>(
      `WITH ins AS (
         INSERT INTO ${this.t.consumers} (stream, name, filter_subject) VALUES ($1, $2, $3)
         ON CONFLICT (stream, name) DO NOTHING RETURNING filter_subject)
       SELECT filter_subject FROM ins
       UNION ALL
       SELECT filter_subject FROM ${this.t.consumers} WHERE stream = $1 AND name = $2`,
      [key.stream.name, key.name, filterSubject],
    );
    return rows[0]?.filter_subject;
  }

  /**
   * Moves the group's cursor over up to `window` new messages, creating a delivery for each one
   * the filter matches. If another process of the group holds the cursor right now, does nothing.
   */
  async advance(key: ConsumerKey, filterRegex: string, window = 1000): Promise<void> {
    await this.pool.query(
      `WITH c AS (
         SELECT cursor FROM ${this.t.consumers} WHERE stream = $1 AND name = $2 FOR UPDATE SKIP LOCKED)
       , w AS (
         SELECT m.id, m.subject FROM ${this.t.messages} m, c
         WHERE m.stream = $1 AND m.id > c.cursor ORDER BY m.id LIMIT $4)
       , ins AS (
         INSERT INTO ${this.t.deliveries} (stream, consumer, message_id)
         SELECT $1, $2, id FROM w WHERE subject ~ $3
         ON CONFLICT DO NOTHING)
       UPDATE ${this.t.consumers} SET cursor = (SELECT max(id) FROM w)
       WHERE stream = $1 AND name = $2 AND EXISTS (SELECT 1 FROM w)`,
      [key.stream.name, key.name, filterRegex, window],
    );
  }

  /**
   * Leases up to `limit` due deliveries to the caller for `ackWaitMs`, oldest first. SKIP LOCKED
   * lets processes of one group claim concurrently without ever claiming the same row.
   */
  async claim(key: ConsumerKey, limit: number, ackWaitMs: number, maxDeliver: number | undefined): Promise<ClaimedRow[]> {
    const { rows } = await this.pool.query<ClaimedRow>(
      `WITH due AS (
         SELECT message_id FROM ${this.t.deliveries}
         WHERE stream = $1 AND consumer = $2 AND visible_at <= clock_timestamp()
           AND ($5::int IS NULL OR deliveries < $5)
         ORDER BY message_id LIMIT $3
         FOR UPDATE SKIP LOCKED)
       UPDATE ${this.t.deliveries} d
       SET deliveries = d.deliveries + 1, visible_at = clock_timestamp() + $4 * interval '1 millisecond'
       FROM due JOIN ${this.t.messages} m ON m.id = due.message_id
       WHERE d.stream = $1 AND d.consumer = $2 AND d.message_id = due.message_id
       RETURNING d.message_id, d.deliveries, m.subject, m.payload, m.msg_id, m.headers`,
      [key.stream.name, key.name, limit, ackWaitMs, maxDeliver ?? null],
    );
    return rows.sort((a, b) => (BigInt(a.message_id) < BigInt(b.message_id) ? -1 : 1));
  }

  /**
   * Drops deliveries that used up `maxDeliver` and whose last lease or nak delay ran out;
   * returns them so the caller can log what was given up on. Work messages go with them.
   */
  async deadLetter(key: ConsumerKey, maxDeliver: number): Promise<{ message_id: string; subject: string }[]> {
    const { rows } = await this.pool.query<{ message_id: string; subject: string }>(
      `DELETE FROM ${this.t.deliveries} d USING ${this.t.messages} m
       WHERE d.stream = $1 AND d.consumer = $2 AND d.deliveries >= $3 AND d.visible_at <= clock_timestamp()
         AND m.id = d.message_id
       RETURNING d.message_id, m.subject`,
      [key.stream.name, key.name, maxDeliver],
    );
    if (key.stream.kind === "work" && rows.length > 0) {
      await this.pool.query(`DELETE FROM ${this.t.messages} WHERE id = ANY($1::bigint[])`, [rows.map((r) => r.message_id)]);
    }
    return rows;
  }

  /** Done with a message (ack or term): the group forgets it; a work message is removed from the log. */
  async settle(key: ConsumerKey, messageId: string): Promise<void> {
    if (key.stream.kind === "work") {
      await this.pool.query(`DELETE FROM ${this.t.messages} WHERE id = $1`, [messageId]);
    } else {
      await this.pool.query(`DELETE FROM ${this.t.deliveries} WHERE stream = $1 AND consumer = $2 AND message_id = $3`, [
        key.stream.name,
        key.name,
        messageId,
      ]);
    }
  }

  /** Makes the delivery due again after `delayMs`, unless the lease has meanwhile passed to another claim. */
  async release(key: ConsumerKey, messageId: string, deliveries: number, delayMs: number): Promise<void> {
    await this.pool.query(
      `UPDATE ${this.t.deliveries} SET visible_at = clock_timestamp() + $5 * interval '1 millisecond'
       WHERE stream = $1 AND consumer = $2 AND message_id = $3 AND deliveries = $4`,
      [key.stream.name, key.name, messageId, deliveries, delayMs],
    );
    if (delayMs === 0) await this.pool.query("SELECT pg_notify($1, $2)", [this.channel, key.stream.name]);
  }

  /**
   * A heartbeat: the lease runs for another `ackWaitMs` from now, as long as it is still the one
   * taken with delivery count `deliveries` (not already passed on to another claim or settled).
   */
  async extendLease(key: ConsumerKey, messageId: string, deliveries: number, ackWaitMs: number): Promise<void> {
    await this.pool.query(
      `UPDATE ${this.t.deliveries} SET visible_at = clock_timestamp() + $5 * interval '1 millisecond'
       WHERE stream = $1 AND consumer = $2 AND message_id = $3 AND deliveries = $4`,
      [key.stream.name, key.name, messageId, deliveries, ackWaitMs],
    );
  }

  /** Drops messages older than `maxAgeMs` (the limits retention of an events stream). */
  async prune(stream: StreamRef, maxAgeMs: number): Promise<number> {
    const { rowCount } = await this.pool.query(
      `DELETE FROM ${this.t.messages} WHERE stream = $1 AND created_at < now() - $2 * interval '1 millisecond'`,
      [stream.name, maxAgeMs],
    );
    return rowCount ?? 0;
  }
}
