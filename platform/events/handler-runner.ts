import type { Log } from "../storage/log.js";
import { backoffMs } from "./backoff.js";
import type { BusMessage, Disposition, MessageHandler } from "./bus.js";

/**
 * Runs a handler and turns its outcome into a disposition: nothing means ack, and a throw
 * means "retry later", with a delay that grows with the number of deliveries.
 */
export async function runHandler(handler: MessageHandler, msg: BusMessage, log: Log): Promise<Disposition> {
  try {
    return (await handler(msg)) ?? { kind: "ack" };
  } catch (err) {
    const delayMs = backoffMs(msg.deliveries);
    log.warn({ err, subject: msg.subject, msgId: msg.msgId, deliveries: msg.deliveries, delayMs }, "message handler failed; will redeliver");
    return { kind: "nak", delayMs };
  }
}
