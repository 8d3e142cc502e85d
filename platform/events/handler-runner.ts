import type { Log } from "../storage/log.js";
import { backoffMs } from "./backoff.js";
import type { BusMessage, Disposition, MessageHandler } from "./bus.js";
import { consumeInSpan, type MessagingSystem } from "../telemetry/messaging.js";

/**
 * Runs a handler and turns its outcome into a disposition: nothing means ack, and a throw
 * means "retry later", with a delay that grows with the number of deliveries. With tracing on,
 * the handler runs in a CONSUMER span, child of the trace the message carries.
 */
export async function runHandler(handler: MessageHandler, msg: BusMessage, log: Log, system: MessagingSystem): Promise<Disposition> {
  try {
    return (await consumeInSpan(system, msg, () => handler(msg))) ?? { kind: "ack" };
  } catch (err) {
    const delayMs = backoffMs(msg.deliveries);
    log.warn({ err, subject: msg.subject, msgId: msg.msgId, deliveries: msg.deliveries, delayMs }, "message handler failed; will redeliver");
    return { kind: "nak", delayMs };
  }
}
