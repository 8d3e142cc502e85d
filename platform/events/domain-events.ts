import { randomUUID } from "node:crypto";
import { fromBinary, getOption, hasOption, toBinary, type DescMessage, type MessageShape } from "@bufbuild/protobuf";
import { timestampNow } from "@bufbuild/protobuf/wkt";
import type pg from "pg";
import { subject as subjectOption, type EventMeta } from "../../gen/cinemesh/events/v1/meta_pb.js";
import type { Bus, BusMessage, Consumer, Disposition } from "./bus.js";
import { enqueueEvent } from "./outbox.js";
import { traceHeaders } from "../telemetry/tracer.js";

/** Every domain event message has `EventMeta meta = 1`. */
type DomainEvent = { meta?: EventMeta };

/**
 * Domain events (proto/cinemesh/events/v1) on the bus: the subject comes from the message's
 * `(cinemesh.events.v1.subject)` option, with its first token replaced by the bus namespace; the
 * msgId is the event id, so relaying or publishing twice is harmless.
 */
export class DomainEvents {
  constructor(
    private readonly namespace: string,
    private readonly producer: string,
    private readonly bus: () => Promise<Bus>,
  ) {}

  subjectOf(desc: DescMessage): string {
    if (!hasOption(desc, subjectOption)) throw new Error(`${desc.typeName} is not a domain event (no subject option)`);
    const subject = getOption(desc, subjectOption);
    return `${this.namespace}${subject.slice(subject.indexOf("."))}`;
  }

  /** A fresh envelope for an event this service emits. */
  meta(correlationId = ""): EventMeta {
    return { $typeName: "cinemesh.events.v1.EventMeta", eventId: randomUUID(), occurredAt: timestampNow(), producer: this.producer, correlationId };
  }

  /** Writes the event into `<schema>.outbox` inside the caller's transaction (see ServiceResources.startOutboxRelay). */
  async enqueue<D extends DescMessage>(tx: pg.ClientBase, outboxSchema: string, desc: D, event: MessageShape<D> & DomainEvent): Promise<void> {
    const eventId = event.meta?.eventId;
    if (!eventId) throw new Error(`${desc.typeName} without meta.event_id`);
    await enqueueEvent(tx, outboxSchema, { subject: this.subjectOf(desc), payload: toBinary(desc, event), msgId: eventId });
  }

  /**
   * Publishes straight to the bus, for an event that records no state change of its own (a
   * stateless service has nothing to keep it atomic with); with state, use `enqueue`.
   */
  async publish<D extends DescMessage>(desc: D, event: MessageShape<D> & DomainEvent): Promise<void> {
    const eventId = event.meta?.eventId;
    if (!eventId) throw new Error(`${desc.typeName} without meta.event_id`);
    await (await this.bus()).publish(this.subjectOf(desc), toBinary(desc, event), { msgId: eventId, headers: traceHeaders() });
  }

  /**
   * Consumes one event type with a durable consumer group. Handlers must be idempotent: delivery is
   * at least once. A message that does not decode is terminated (it would never decode later).
   */
  async subscribe<D extends DescMessage>(
    durable: string,
    desc: D,
    handler: (event: MessageShape<D>, msg: BusMessage) => Promise<Disposition | void>,
    options: { maxDeliver?: number; concurrency?: number } = {},
  ): Promise<Consumer> {
    const bus = await this.bus();
    return bus.consume({
      stream: "events",
      durable,
      filterSubject: this.subjectOf(desc),
      maxDeliver: options.maxDeliver,
      concurrency: options.concurrency,
      handler: async (msg) => {
        let event: MessageShape<D>;
        try {
          event = fromBinary(desc, msg.data);
        } catch (err) {
          return { kind: "term", reason: `undecodable ${desc.typeName}: ${(err as Error).message}` };
        }
        return handler(event, msg);
      },
    });
  }
}
