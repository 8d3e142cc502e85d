import path from "node:path";
import { fileURLToPath } from "node:url";
import type pg from "pg";
import type { Log } from "../storage/log.js";
import { silentLog } from "../storage/log.js";
import { migrate } from "../storage/migrate.js";
import type { Bus } from "./bus.js";
import { BusLog, streamRef } from "./bus-postgres-log.js";
import { startPollingConsumer, type PollingConsumer } from "./bus-postgres-consumer.js";
import { createPostgresLive } from "./bus-postgres-live.js";
import { publishInSpan } from "../telemetry/messaging.js";
import { listen } from "./pg-listener.js";
import { assertDurableName, assertFilterInStream, assertNamespace, DEFAULT_NAMESPACE, streamOfSubject } from "./subjects.js";

export interface PostgresBusOptions {
  /** Pool on the shared Postgres; every process of the mesh points at the same database. */
  pool: pg.Pool;
  /** Schema holding the log. Default `bus`. */
  schema?: string;
  /** Subject root, as for the NATS bus. Default `cinemesh`. */
  namespace?: string;
  /** Safety-net poll for missed notifications and expired leases. Default 1 s. */
  pollIntervalMs?: number;
  /** How long the events stream keeps messages. Default 7 days. */
  eventsMaxAgeMs?: number;
  log?: Log;
}

const MIGRATIONS = path.join(path.dirname(fileURLToPath(import.meta.url)), "migrations");
const PRUNE_EVERY_MS = 60_000;

/**
 * The embedded bus: the delivery contract of bus.ts on a message log in Postgres, so that
 * separate service processes sharing one database exchange events and jobs.
 *
 * Publishing appends to `<schema>.messages` and NOTIFYs. Each durable group has a cursor over
 * the log; a consumer advances it, turning matching messages into delivery rows, and claims due
 * rows with FOR UPDATE SKIP LOCKED, leasing each for ackWait; `working()` extends the lease.
 * Ack/term delete the delivery (and, on the work stream, the message); nak moves its due time.
 * Consumers sleep on LISTEN and poll as a safety net. Live messages are NOTIFYs on
 * `<schema>.live` and never touch a table (bus-postgres-live.ts).
 */
export async function createPostgresBus(options: PostgresBusOptions): Promise<Bus> {
  const schema = options.schema ?? "bus";
  const namespace = options.namespace ?? DEFAULT_NAMESPACE;
  assertNamespace(namespace);
  const log = options.log ?? silentLog;
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  const eventsMaxAgeMs = options.eventsMaxAgeMs ?? 7 * 24 * 60 * 60 * 1000;
  await migrate({ connection: options.pool.options, schema, dir: MIGRATIONS, log });

  const busLog = new BusLog(options.pool, schema);
  const consumers = new Set<PollingConsumer & { stream: string }>();
  const listener = listen({
    connection: options.pool.options,
    channel: busLog.channel,
    log,
    onNotify: (stream) => {
      for (const c of consumers) if (stream === undefined || stream === c.stream) c.wake();
    },
  });
  const live = createPostgresLive({ pool: options.pool, channel: `${schema}.live`, namespace, log });
  const pruner = setInterval(() => {
    busLog.prune(streamRef(namespace, "events"), eventsMaxAgeMs).catch((err) => log.warn({ err }, "pruning old events failed"));
  }, PRUNE_EVERY_MS);
  pruner.unref();

  return {
    namespace,
    async publish(subject, payload, opts = {}) {
      const stream = streamRef(namespace, streamOfSubject(namespace, subject));
      const inserted = await publishInSpan("postgresql", subject, opts.headers, (headers) => busLog.publish(stream, subject, payload, opts.msgId, headers ?? {}));
      return { duplicate: !inserted };
    },

    async consume(opts) {
      assertDurableName(opts.durable);
      assertFilterInStream(namespace, opts.stream, opts.filterSubject);
      const stream = streamRef(namespace, opts.stream);
      const filter = await busLog.register({ stream, name: opts.durable }, opts.filterSubject);
      if (filter !== opts.filterSubject) {
        throw new Error(`durable ${opts.durable} on ${stream.name} filters ${filter}, not ${opts.filterSubject}; use a new durable name`);
      }
      const polling = startPollingConsumer(busLog, stream, opts, pollIntervalMs, log);
      const consumer = Object.assign(polling, { stream: stream.name });
      consumers.add(consumer);
      return {
        async stop() {
          consumers.delete(consumer);
          await consumer.stop();
        },
      };
    },

    publishLive: (subject, payload) => live.publish(subject, payload),
    subscribeLive: (filter, handler) => live.subscribe(filter, handler),

    async close() {
      clearInterval(pruner);
      await Promise.all([...consumers].map((c) => c.stop()));
      consumers.clear();
      await Promise.all([listener.close(), live.close()]);
    },
  };
}
