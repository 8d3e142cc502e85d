import {
  AckPolicy,
  DeliverPolicy,
  DiscardPolicy,
  jetstream,
  JetStreamApiCodes,
  JetStreamApiError,
  jetstreamManager,
  RetentionPolicy,
  StorageType,
  type ConsumerConfig,
  type JetStreamManager,
  type JsMsg,
  type StreamConfig,
} from "@nats-io/jetstream";
import { setTimeout as sleep } from "node:timers/promises";
import { connect, headers as natsHeaders, nanos, type MsgHdrs } from "@nats-io/transport-node";
import type { Log } from "../storage/log.js";
import { silentLog } from "../storage/log.js";
import type { Bus, BusMessage, ConsumeOptions, Consumer, LiveSubscription, StreamKind } from "./bus.js";
import { backoffMs } from "./backoff.js";
import { runHandler } from "./handler-runner.js";
import { publishInSpan } from "../telemetry/messaging.js";
import {
  assertDurableName,
  assertFilterInStream,
  assertLiveFilter,
  assertLiveSubject,
  assertNamespace,
  DEFAULT_NAMESPACE,
  streamOfSubject,
} from "./subjects.js";

export interface NatsBusOptions {
  /** `nats://host:4222`, several comma-separated for a cluster. */
  url: string;
  /**
   * Subject root and stream-name prefix: `cinemesh` gives streams CINEMESH_EVENTS on
   * `cinemesh.events.>` and CINEMESH_WORK on `cinemesh.work.>`. Tests use their own.
   */
  namespace?: string;
  /** How long the events stream keeps messages. Default 7 days. */
  eventsMaxAgeMs?: number;
  /** How long JetStream remembers msgIds for deduplication. Default 10 minutes. */
  duplicateWindowMs?: number;
  /** Connection name shown by the server (`nats server report connections`). */
  connectionName?: string;
  log?: Log;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** The JetStream stream backing each kind, for a namespace. */
export function natsStreamName(namespace: string, kind: StreamKind): string {
  return `${namespace.toUpperCase().replace(/-/g, "_")}_${kind.toUpperCase()}`;
}

/**
 * The production bus: NATS JetStream. Creates (or updates) both streams at start; consumers are
 * durable pull consumers with explicit acks; `msgId` travels as `Nats-Msg-Id`; `working()` is the
 * in-progress ack (`+WPI`). Live messages are core NATS publish/subscribe on `<ns>.live.>`, a
 * subject no stream captures, so they are never stored.
 */
export async function createNatsBus(options: NatsBusOptions): Promise<Bus> {
  const namespace = options.namespace ?? DEFAULT_NAMESPACE;
  assertNamespace(namespace);
  const log = options.log ?? silentLog;
  const nc = await connect({
    servers: options.url.split(","),
    name: options.connectionName,
    maxReconnectAttempts: -1,
  });
  try {
    const jsm = await jetstreamManager(nc);
    const duplicateWindow = nanos(options.duplicateWindowMs ?? 10 * 60 * 1000);
    await ensureStream(jsm, {
      name: natsStreamName(namespace, "events"),
      subjects: [`${namespace}.events.>`],
      retention: RetentionPolicy.Limits,
      max_age: nanos(options.eventsMaxAgeMs ?? 7 * DAY_MS),
      duplicate_window: duplicateWindow,
    });
    await ensureStream(jsm, {
      name: natsStreamName(namespace, "work"),
      subjects: [`${namespace}.work.>`],
      retention: RetentionPolicy.Workqueue,
      duplicate_window: duplicateWindow,
    });
  } catch (err) {
    await nc.close();
    throw err;
  }
  const js = jetstream(nc);
  const consumers = new Set<Consumer>();

  return {
    namespace,
    async publish(subject, payload, opts = {}) {
      streamOfSubject(namespace, subject);
      return publishInSpan("nats", subject, opts.headers, async (headers) => {
        const h = natsHeaders();
        for (const [key, value] of Object.entries(headers ?? {})) h.set(key, value);
        const ack = await js.publish(subject, payload, { msgID: opts.msgId, headers: h });
        return { duplicate: ack.duplicate };
      });
    },

    async consume(opts) {
      assertDurableName(opts.durable);
      assertFilterInStream(namespace, opts.stream, opts.filterSubject);
      const stream = natsStreamName(namespace, opts.stream);
      await ensureConsumer(await jetstreamManager(nc), stream, opts);
      const messages = await (await js.consumers.get(stream, opts.durable)).consume({
        // Pull no more than we can work on: a prefetched message's ack timer is already running.
        max_messages: opts.concurrency ?? 1,
      });
      const inFlight = new Set<Promise<void>>();
      const loop = (async () => {
        for await (const m of messages) {
          const task = handle(m, opts, log).finally(() => inFlight.delete(task));
          inFlight.add(task);
          if (inFlight.size >= (opts.concurrency ?? 1)) await Promise.race(inFlight);
        }
      })().catch((err) => {
        // E.g. the consumer or stream was deleted under us; nothing more will arrive.
        log.error({ err, stream, durable: opts.durable }, "consumer stopped receiving messages");
      });
      const consumer: Consumer = {
        async stop() {
          consumers.delete(consumer);
          messages.stop();
          await loop;
          await Promise.all(inFlight);
        },
      };
      consumers.add(consumer);
      return consumer;
    },

    async publishLive(subject, payload) {
      assertLiveSubject(namespace, subject);
      nc.publish(subject, payload);
      // nc.publish only buffers; after the flush's round trip the server has routed the message,
      // so what this process does next (or tells another process) cannot overtake it.
      await nc.flush();
    },

    async subscribeLive(filter, handler) {
      assertLiveFilter(namespace, filter);
      const sub = nc.subscribe(filter, {
        callback: (err, m) => {
          if (err) {
            log.warn({ err, filter }, "live subscription failed");
            return;
          }
          try {
            handler({ subject: m.subject, data: m.data });
          } catch (handlerErr) {
            log.warn({ err: handlerErr, subject: m.subject }, "live message handler failed");
          }
        },
      });
      // The SUB has reached the server once a PING sent after it is answered.
      await nc.flush();
      const subscription: LiveSubscription = {
        stop: () => {
          if (!sub.isClosed()) sub.unsubscribe();
        },
      };
      return subscription;
    },

    async close() {
      await Promise.all([...consumers].map((c) => c.stop()));
      await nc.drain();
    },
  };
}

async function handle(m: JsMsg, opts: ConsumeOptions, log: Log): Promise<void> {
  const msg: BusMessage = {
    subject: m.subject,
    data: m.data,
    headers: userHeaders(m.headers),
    msgId: m.headers?.get("Nats-Msg-Id") || undefined,
    deliveries: m.info.deliveryCount,
    working: async () => m.working(),
  };
  const disposition = await runHandler(opts.handler, msg, log, "nats");
  try {
    switch (disposition.kind) {
      case "ack":
        await m.ackAck();
        break;
      case "nak":
        m.nak(disposition.delayMs);
        break;
      case "term":
        // The reason is logged here: nats-server 2.9 does not accept one on the wire.
        log.warn({ subject: msg.subject, msgId: msg.msgId, reason: disposition.reason }, "message terminated");
        m.term();
        break;
    }
  } catch (err) {
    // A lost ack only means one more delivery, which the contract already allows.
    log.warn({ err, subject: msg.subject, msgId: msg.msgId }, "could not settle message; it will be redelivered");
  }
}

function userHeaders(h: MsgHdrs | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of h?.keys() ?? []) if (!key.startsWith("Nats-")) out[key] = h!.get(key);
  return out;
}

async function ensureStream(jsm: JetStreamManager, config: Partial<StreamConfig> & { name: string }): Promise<void> {
  const full = { storage: StorageType.File, discard: DiscardPolicy.Old, ...config };
  try {
    const { config: current } = await jsm.streams.info(config.name);
    if (current.retention !== full.retention) {
      throw new Error(`stream ${config.name} exists with retention ${current.retention}, expected ${full.retention}`);
    }
    await jsm.streams.update(config.name, { ...current, ...full });
  } catch (err) {
    if (!isNotFound(err, JetStreamApiCodes.StreamNotFound)) throw err;
    await retryStoreFailure(() => jsm.streams.add(full));
  }
}

async function ensureConsumer(jsm: JetStreamManager, stream: string, opts: ConsumeOptions): Promise<void> {
  const wanted: Partial<ConsumerConfig> = {
    durable_name: opts.durable,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    filter_subject: opts.filterSubject,
    ack_wait: nanos(opts.ackWaitMs ?? 30_000),
    max_deliver: opts.maxDeliver ?? -1,
  };
  try {
    const { config } = await jsm.consumers.info(stream, opts.durable);
    if (config.filter_subject !== opts.filterSubject) {
      throw new Error(
        `durable ${opts.durable} on ${stream} filters ${config.filter_subject}, not ${opts.filterSubject}; use a new durable name`,
      );
    }
    if (config.ack_wait !== wanted.ack_wait || config.max_deliver !== wanted.max_deliver) {
      await jsm.consumers.update(stream, opts.durable, { ack_wait: wanted.ack_wait, max_deliver: wanted.max_deliver });
    }
  } catch (err) {
    if (!isNotFound(err, JetStreamApiCodes.ConsumerNotFound)) throw err;
    await retryStoreFailure(() => jsm.consumers.add(stream, wanted));
  }
}

/**
 * A busy server sometimes answers a create with a 500 ("error creating store for stream" /
 * "... for consumer") and logs the cause only on its side; the same create a moment later
 * succeeds. Retried a few times with a doubling pause (100 ms, at most 1 s); any other error is thrown at once.
 */
export async function retryStoreFailure<T>(create: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await create();
    } catch (err) {
      const storeFailure = err instanceof JetStreamApiError && err.status === 500 && /error creating store/.test(err.message);
      if (!storeFailure || attempt >= attempts) throw err;
      await sleep(backoffMs(attempt, 100, 1_000));
    }
  }
}

function isNotFound(err: unknown, code: number): boolean {
  return err instanceof JetStreamApiError && err.code === code;
}
