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
 *  - `deliveries` counts deliveries of the message to the group, starting at 1.
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

export interface Bus {
  publish(subject: string, payload: Uint8Array, options?: PublishOptions): Promise<PublishResult>;
  consume(options: ConsumeOptions): Promise<Consumer>;
  /** Stops every consumer and releases connections. */
  close(): Promise<void>;
}
