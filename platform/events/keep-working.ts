import type { Log } from "../storage/log.js";
import { silentLog } from "../storage/log.js";
import type { BusMessage } from "./bus.js";

/**
 * Runs `work` while heartbeating `msg` every `everyMs` (pick about a third of the consumer's
 * ackWait, so one late or lost heartbeat does not cost the lease). For handlers that may run
 * longer than ackWait, e.g. an encoding job: the message stays with this worker while it lives
 * and goes to another one about ackWait after it dies.
 *
 * A failed heartbeat is logged and the work goes on: the worst outcome is a redelivery, which
 * the at-least-once contract already asks handlers to tolerate.
 */
export async function keepWorking<T>(msg: BusMessage, everyMs: number, work: () => Promise<T>, log: Log = silentLog): Promise<T> {
  let beating: Promise<void> | undefined;
  const timer = setInterval(() => {
    // One heartbeat at a time: while a slow round trip is out, later ticks are skipped, not queued.
    beating ??= msg
      .working()
      .catch((err: unknown) => log.warn({ err, subject: msg.subject, msgId: msg.msgId }, "heartbeat failed; the message may be redelivered"))
      .finally(() => (beating = undefined));
  }, everyMs);
  try {
    return await work();
  } finally {
    clearInterval(timer);
    await beating;
  }
}
