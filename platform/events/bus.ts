/**
 * Events and jobs port.
 *
 * Two streams per namespace (default `cinemesh`):
 *  - "events": `<ns>.events.>`, retained by limits (age); every durable consumer reads all of it.
 *  - "work":   `<ns>.work.>`, a work queue; a message is gone once a consumer acks it.
 *    One durable per subject (JetStream refuses overlapping work-queue consumers).
 *
 * Delivery contract, the same for NATS JetStream (`bus-nats.ts`) and the Postgres log
 * (`bus-postgres.ts`):
 *  - at-least-once: a message is delivered until it is acked, termed or has been delivered
 *    `maxDeliver` times; handlers must be idempotent;
 *  - a durable name is a consumer group: processes consuming with the same durable share its
 *    messages (each message goes to one of them at a time) and it resumes where it left off
 *    across restarts; a new durable starts from the oldest retained message;
 *  - a message not acked within `ackWaitMs` is redelivered, possibly to another process;
 *  - `deliveries` counts deliveries of the message to the group, starting at 1;
 *  - a handler that needs longer than `ackWaitMs` calls `working()` more often than every
 *    `ackWaitMs`: each call restarts the ack timer, so the message stays with this process while
 *    it heartbeats and goes to another one `ackWaitMs` after the heartbeats stop (crash, kill).
 *
 * Besides the streams, live messages (`<ns>.live.>`, `publishLive` / `subscribeLive`): at most
 * once, never stored, to every subscriber connected at the moment of publishing, in every process.
 * For what is only worth seeing while it happens (job progress, "new notification" pushes); a
 * subscriber that was not connected, or whose connection dropped, misses it for good.
 */
export type StreamKind = "events" | "work";

export interface PublishOptions {
  /**
   * Deduplication id (the event id). A second publish with the same id is dropped; NATS
   * remembers ids for its duplicate window, the Postgres bus for as long as it keeps the message.
   */
  msgId?: string;
  headers?: Record<string, string>;
}

export interface PublishResult {
  /** True when the bus already had a message with this msgId and dropped this one. */
  duplicate: boolean;
}

export interface BusMessage {
  subject: string;
  data: Uint8Array;
  headers: Record<string, string>;
  msgId: string | undefined;
  /** 1 on first delivery, 2 on the first redelivery, … */
  deliveries: number;
  /**
   * "Still working on it": restarts this delivery's ack timer (JetStream's in-progress ack; on
   * the Postgres bus the lease is extended to now + ackWait). Resolves once the heartbeat is
   * sent; it does not report whether the delivery was still this process's (a heartbeat after
   * the lease ran out changes nothing), so heartbeat well within ackWait, e.g. every ackWait / 3
   * (see `keepWorking`).
   */
  working(): Promise<void>;
}

/** What the handler decided; returning nothing acks. */
export type Disposition =
  | { kind: "ack" }
  /** Redeliver after `delayMs` (0 = as soon as possible). */
  | { kind: "nak"; delayMs: number }
  /** Never redeliver: the message cannot be processed (poison, obsolete). */
  | { kind: "term"; reason?: string };

export const ack = (): Disposition => ({ kind: "ack" });
export const nak = (delayMs = 0): Disposition => ({ kind: "nak", delayMs });
export const term = (reason?: string): Disposition => ({ kind: "term", reason });

/**
 * Handles one message. Resolve with a disposition (or nothing, meaning ack). A handler that
 * throws gets its message redelivered with exponential backoff.
 */
export type MessageHandler = (msg: BusMessage) => Promise<Disposition | void>;

export interface ConsumeOptions {
  stream: StreamKind;
  /** Consumer group name: letters, digits, `_` and `-`. */
  durable: string;
  /** Subject filter inside the stream, NATS syntax (`*` one token, `>` the rest). */
  filterSubject: string;
  handler: MessageHandler;
  /** Deliveries before the bus gives up on a message. Default: unlimited. */
  maxDeliver?: number;
  /** How long a delivery may stay unacked before it is redelivered. Default 30 s. */
  ackWaitMs?: number;
  /** Messages handled at once by this process. Default 1. */
  concurrency?: number;
}

export interface Consumer {
  /**
   * Stops fetching and waits for in-flight handlers to settle; messages not yet settled are
   * redelivered later. It waits for its own handlers, so a handler must not await it.
   */
  stop(): Promise<void>;
}

/** A live message as a subscriber receives it. */
export interface LiveMessage {
  subject: string;
  data: Uint8Array;
}

/**
 * Receives live messages. Called synchronously in arrival order; it should hand the message on
 * (e.g. into a stream's queue) rather than do slow work. A throw is logged and does not stop
 * the subscription.
 */
export type LiveHandler = (msg: LiveMessage) => void;

export interface LiveSubscription {
  /** Stops delivery to this handler; idempotent. */
  stop(): void;
}

export interface Bus {
  /** First token of every subject on this bus (`BUS_NAMESPACE`, default `cinemesh`). */
  readonly namespace: string;
  publish(subject: string, payload: Uint8Array, options?: PublishOptions): Promise<PublishResult>;
  consume(options: ConsumeOptions): Promise<Consumer>;
  /**
   * Sends a live message on `<ns>.live.…` (no wildcards) to every current subscriber whose filter
   * matches, in every process: at most once, not stored. Resolves once the bus has routed it (so a
   * later publish, from any process, cannot overtake it); rejects when the payload is too large
   * for the bus (Postgres bus: 5,997 bytes minus about 3/4 of the subject's length, the NOTIFY
   * limit; NATS: the server's max_payload, 1 MiB by default) or the bus is unreachable.
   */
  publishLive(subject: string, payload: Uint8Array): Promise<void>;
  /**
   * Subscribes to live messages matching `filter` (`<ns>.live.…`, NATS wildcards `*` and `>`).
   * Resolves once the subscription is active: a publishLive that starts after that reaches it
   * (barring a connection drop). Messages published one after another (each publishLive awaited
   * before the next starts, in any processes) arrive in that order.
   */
  subscribeLive(filter: string, handler: LiveHandler): Promise<LiveSubscription>;
  /** Stops every consumer and releases connections. */
  close(): Promise<void>;
}
