import { context, propagation, SpanKind, trace } from "@opentelemetry/api";
import { inSpan } from "./spans.js";
import { contextFrom, tracingOn } from "./tracer.js";

/** Which bus carries a message, as OpenTelemetry's `messaging.system` names it. */
export type MessagingSystem = "nats" | "postgresql";

/**
 * A PRODUCER span around publishing one message, its context added to the message's headers so
 * the consumer's span is its child. A message relayed from the outbox carries the `traceparent`
 * of the call that wrote it; the span is that call's child, however late the relay sends it.
 */
export function publishInSpan<T>(system: MessagingSystem, subject: string, headers: Record<string, string> | undefined, publish: (headers: Record<string, string> | undefined) => Promise<T>): Promise<T> {
  if (!tracingOn()) return publish(headers);
  const carried = headers !== undefined && "traceparent" in headers ? contextFrom(headers) : undefined;
  const parent = carried !== undefined && trace.getSpanContext(carried) !== undefined ? carried : context.active();
  return inSpan(`${subject} publish`, { kind: SpanKind.PRODUCER, parent, attributes: { "messaging.system": system, "messaging.destination.name": subject } }, () => {
    const out: Record<string, string> = { ...headers };
    propagation.inject(context.active(), out);
    return publish(out);
  });
}

/** A CONSUMER span around handling one delivery, child of the span that published it. */
export function consumeInSpan<T>(system: MessagingSystem, msg: { subject: string; headers: Record<string, string>; msgId: string | undefined; deliveries: number }, handle: () => Promise<T>): Promise<T> {
  if (!tracingOn()) return handle();
  const attributes = {
    "messaging.system": system,
    "messaging.destination.name": msg.subject,
    "messaging.message.id": msg.msgId ?? "",
    "messaging.message.delivery_count": msg.deliveries,
  };
  return inSpan(`${msg.subject} process`, { kind: SpanKind.CONSUMER, parent: contextFrom(msg.headers), attributes }, handle);
}
