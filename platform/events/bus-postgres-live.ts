import type pg from "pg";
import type { Log } from "../storage/log.js";
import type { LiveHandler, LiveSubscription } from "./bus.js";
import { listen, type PgListener } from "./pg-listener.js";
import { assertLiveFilter, assertLiveSubject, subjectFilterRegex } from "./subjects.js";

/**
 * Postgres refuses a NOTIFY payload of 8000 bytes or more. A live message travels as
 * `<subject> <base64 payload>`, so what is left for the payload depends on the subject's length.
 */
export const NOTIFY_PAYLOAD_LIMIT = 7999;

export class LivePayloadTooLargeError extends Error {
  constructor(
    readonly subject: string,
    readonly bytes: number,
    readonly maxBytes: number,
  ) {
    super(`live message on ${subject} is ${bytes} bytes; the Postgres bus carries at most ${maxBytes} bytes on this subject (NOTIFY payload limit)`);
    this.name = "LivePayloadTooLargeError";
  }
}

/** The largest payload a live message on `subject` can carry over NOTIFY. */
export function maxLivePayloadBytes(subject: string): number {
  const room = NOTIFY_PAYLOAD_LIMIT - Buffer.byteLength(subject) - 1;
  return Math.max(0, Math.floor(room / 4) * 3);
}

export function encodeLiveNotification(subject: string, payload: Uint8Array): string {
  const max = maxLivePayloadBytes(subject);
  if (payload.byteLength > max) throw new LivePayloadTooLargeError(subject, payload.byteLength, max);
  return `${subject} ${Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString("base64")}`;
}

export function decodeLiveNotification(text: string): { subject: string; data: Uint8Array } | undefined {
  const space = text.indexOf(" ");
  if (space <= 0) return undefined;
  return { subject: text.slice(0, space), data: new Uint8Array(Buffer.from(text.slice(space + 1), "base64")) };
}

export interface PostgresLive {
  publish(subject: string, payload: Uint8Array): Promise<void>;
  subscribe(filter: string, handler: LiveHandler): Promise<LiveSubscription>;
  close(): Promise<void>;
}

interface Subscriber {
  pattern: RegExp;
  handler: LiveHandler;
}

/**
 * Live messages of the Postgres bus: NOTIFY on one channel per bus schema, and in each process one
 * LISTEN connection (opened on the first subscription) that hands every notification to the local
 * subscribers whose filter matches. Nothing is written to a table, so nothing is kept; a process
 * whose listener is reconnecting misses what is published meanwhile, as a NATS subscriber would.
 */
export function createPostgresLive(options: { pool: pg.Pool; channel: string; namespace: string; log: Log }): PostgresLive {
  const { pool, channel, namespace, log } = options;
  const subscribers = new Set<Subscriber>();
  let listener: PgListener | undefined;

  const dispatch = (text: string | undefined) => {
    if (text === undefined) return; // a (re)connect: what was missed is gone, by contract
    const msg = decodeLiveNotification(text);
    if (msg === undefined) {
      log.warn({ channel }, "ignoring a malformed live notification");
      return;
    }
    for (const s of subscribers) {
      if (!s.pattern.test(msg.subject)) continue;
      try {
        s.handler(msg);
      } catch (err) {
        log.warn({ err, subject: msg.subject }, "live message handler failed");
      }
    }
  };

  return {
    async publish(subject, payload) {
      assertLiveSubject(namespace, subject);
      await pool.query("SELECT pg_notify($1, $2)", [channel, encodeLiveNotification(subject, payload)]);
    },

    async subscribe(filter, handler) {
      assertLiveFilter(namespace, filter);
      listener ??= listen({ connection: pool.options, channel, log, onNotify: dispatch });
      const subscriber: Subscriber = { pattern: new RegExp(subjectFilterRegex(filter)), handler };
      subscribers.add(subscriber);
      try {
        await listener.ready();
      } catch (err) {
        subscribers.delete(subscriber);
        throw err;
      }
      return { stop: () => void subscribers.delete(subscriber) };
    },

    async close() {
      subscribers.clear();
      await listener?.close();
    },
  };
}
