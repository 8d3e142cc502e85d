import type pg from "pg";
import type { Log } from "../storage/log.js";
import { silentLog } from "../storage/log.js";
import { withTransaction } from "../storage/postgres.js";
import { backoffMs } from "./backoff.js";
import type { Bus } from "./bus.js";
import { quoteSchema } from "../storage/schema-name.js";
import { outboxChannel } from "./outbox.js";
import { listen } from "./pg-listener.js";
import { Wakeup } from "./wakeup.js";

export interface OutboxRelayOptions {
  pool: pg.Pool;
  /** The service schema holding `outbox`. */
  schema: string;
  bus: Bus;
  log?: Log;
  /** Events published per transaction. Default 100. */
  batchSize?: number;
  /** Safety-net poll in case a notification is missed. Default 1 s. */
  pollIntervalMs?: number;
  /** How long published rows are kept (for inspection) before being deleted. Default 7 days. */
  retainPublishedMs?: number;
}

export interface OutboxRelay {
  /** Finishes the batch in progress, then stops. */
  stop(): Promise<void>;
}

interface OutboxRow {
  id: string;
  event_id: string;
  subject: string;
  payload: Buffer;
  headers: Record<string, string>;
}

const PRUNE_EVERY_MS = 60 * 60 * 1000;

/**
 * Publishes committed outbox events to the bus, oldest first, with msgId = event id, and marks
 * them published. Woken by the NOTIFY of enqueueEvent, polling as a safety net.
 *
 * Several replicas may run it: each batch is taken under a per-schema transaction advisory lock
 * (try-lock, so the others skip the round instead of queueing), which keeps publication in
 * commit order; parallel batches via SKIP LOCKED would reorder events across batches.
 * If the bus fails mid-batch, the events already published are marked, the rest stay pending,
 * and the relay retries with backoff. An event published but not marked (crash in between) is
 * published again later, and the bus drops it as a duplicate msgId.
 */
export function startOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const { pool, schema, bus } = options;
  const log = options.log ?? silentLog;
  const batchSize = options.batchSize ?? 100;
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  const retainMs = options.retainPublishedMs ?? 7 * 24 * 60 * 60 * 1000;
  const table = `${quoteSchema(schema)}.outbox`;
  const wakeup = new Wakeup();
  let stopping = false;
  let failures = 0;
  let lastPrune = 0;

  /** Publishes one batch; resolves to how many rows it took (0 if another relay holds the lock). */
  const relayBatch = async (): Promise<number> => {
    let failure: unknown;
    const taken = await withTransaction(pool, async (tx) => {
      const { rows: lock } = await tx.query("SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked", [table]);
      if (!lock[0].locked) return 0;
      const { rows } = await tx.query<OutboxRow>(
        `SELECT id, event_id, subject, payload, headers FROM ${table}
         WHERE published_at IS NULL ORDER BY id LIMIT $1`,
        [batchSize],
      );
      const published: string[] = [];
      try {
        for (const row of rows) {
          await bus.publish(row.subject, row.payload, { msgId: row.event_id, headers: row.headers });
          published.push(row.id);
        }
      } catch (err) {
        failure = err; // commit what did get out, then report
      }
      if (published.length > 0) {
        await tx.query(`UPDATE ${table} SET published_at = now() WHERE id = ANY($1::bigint[])`, [published]);
      }
      return rows.length;
    });
    if (failure) throw failure;
    return taken;
  };

  const pruneIfDue = async () => {
    if (Date.now() - lastPrune < PRUNE_EVERY_MS) return;
    lastPrune = Date.now();
    await pool.query(`DELETE FROM ${table} WHERE published_at < now() - $1 * interval '1 millisecond'`, [retainMs]);
  };

  const loop = async () => {
    while (!stopping) {
      try {
        const taken = await relayBatch();
        if (failures > 0) log.info({ schema }, "outbox relay recovered");
        failures = 0;
        if (taken === batchSize) continue; // more may be waiting
        await pruneIfDue();
      } catch (err) {
        const delay = backoffMs(++failures, 200, 30_000);
        log.warn({ err, schema, retryInMs: delay }, "outbox relay failed; events stay queued");
        // New events must not cut the backoff short; only stop() may.
        const until = Date.now() + delay;
        while (!stopping && Date.now() < until) await wakeup.sleep(until - Date.now());
        continue;
      }
      await wakeup.sleep(pollIntervalMs);
    }
  };

  const listener = listen({ connection: pool.options, channel: outboxChannel(schema), log, onNotify: () => wakeup.wake() });
  const running = loop();

  return {
    async stop() {
      stopping = true;
      wakeup.wake();
      await running;
      await listener.close();
    },
  };
}
