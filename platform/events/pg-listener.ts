import pg from "pg";
import type { Log } from "../storage/log.js";
import { backoffMs } from "./backoff.js";

export interface PgListenerOptions {
  /** Connection settings; the listener keeps one dedicated connection (LISTEN needs a session). */
  connection: pg.ClientConfig;
  channel: string;
  /** Called for each notification, and after every (re)connect since notifications may have been missed. */
  onNotify: (payload: string | undefined) => void;
  log: Log;
}

export interface PgListener {
  /** Resolves once the first LISTEN is in place; rejects if the listener is closed before. */
  ready(): Promise<void>;
  close(): Promise<void>;
}

/**
 * LISTENs on a channel and reconnects with backoff when the connection drops. Callers also poll,
 * so a notification lost during a reconnect only costs latency.
 */
export function listen(options: PgListenerOptions): PgListener {
  const { channel, onNotify, log } = options;
  let client: pg.Client | undefined;
  let closed = false;
  let failures = 0;
  let retry: NodeJS.Timeout | undefined;
  let listening!: () => void;
  let closedEarly!: (err: Error) => void;
  const ready = new Promise<void>((resolve, reject) => {
    listening = resolve;
    closedEarly = reject;
  });
  // Nobody may be waiting on it; a close before the first LISTEN must not be an unhandled rejection.
  ready.catch(() => {});

  const connect = async () => {
    const c = new pg.Client(options.connection);
    client = c;
    c.on("notification", (n) => {
      if (n.channel === channel) onNotify(n.payload);
    });
    c.on("error", (err) => {
      log.warn({ err, channel }, "listener connection failed");
      reconnect(c);
    });
    c.on("end", () => reconnect(c));
    try {
      await c.connect();
      await c.query(`LISTEN ${c.escapeIdentifier(channel)}`);
      failures = 0;
      listening();
      onNotify(undefined);
    } catch (err) {
      log.warn({ err, channel }, "could not listen; retrying");
      reconnect(c);
    }
  };

  const reconnect = (c: pg.Client) => {
    if (closed || client !== c) return;
    client = undefined;
    c.end().catch(() => {});
    retry = setTimeout(() => void connect(), backoffMs(++failures, 100, 10_000));
    retry.unref();
  };

  void connect();

  return {
    ready: () => ready,
    async close() {
      closed = true;
      closedEarly(new Error(`listener on ${channel} closed`));
      clearTimeout(retry);
      const c = client;
      client = undefined;
      await c?.end().catch(() => {});
    },
  };
}
