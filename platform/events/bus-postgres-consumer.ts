import type { Log } from "../storage/log.js";
import { backoffMs } from "./backoff.js";
import type { BusMessage, ConsumeOptions, Consumer } from "./bus.js";
import type { BusLog, ClaimedRow, ConsumerKey, StreamRef } from "./bus-postgres-log.js";
import { runHandler } from "./handler-runner.js";
import { subjectFilterRegex } from "./subjects.js";
import { Wakeup } from "./wakeup.js";

export interface PollingConsumer extends Consumer {
  /** Something may be due: a message was published, a nak delay ran out, a lease expired. */
  wake(): void;
}

/**
 * One process's share of a durable group on the Postgres bus: a loop that claims due deliveries
 * (up to `concurrency` at a time), runs the handler and settles each one. It sleeps until woken
 * by a notification, a finished handler or a nak timer, and polls every `pollIntervalMs`
 * regardless, which is what notices expired leases of crashed processes.
 */
export function startPollingConsumer(
  busLog: BusLog,
  stream: StreamRef,
  opts: ConsumeOptions,
  pollIntervalMs: number,
  log: Log,
): PollingConsumer {
  const key: ConsumerKey = { stream, name: opts.durable };
  const filterRegex = subjectFilterRegex(opts.filterSubject);
  const concurrency = opts.concurrency ?? 1;
  const ackWaitMs = opts.ackWaitMs ?? 30_000;
  const { maxDeliver } = opts;
  const wakeup = new Wakeup();
  const inFlight = new Set<Promise<void>>();
  let stopping = false;
  let failures = 0;

  const claim = async (limit: number): Promise<ClaimedRow[]> => {
    if (maxDeliver !== undefined) {
      for (const dead of await busLog.deadLetter(key, maxDeliver)) {
        log.warn({ durable: opts.durable, subject: dead.subject, maxDeliver }, "message reached maxDeliver; giving up on it");
      }
    }
    const rows = await busLog.claim(key, limit, ackWaitMs, maxDeliver);
    if (rows.length === limit) return rows;
    await busLog.advance(key, filterRegex);
    return rows.concat(await busLog.claim(key, limit - rows.length, ackWaitMs, maxDeliver));
  };

  const handle = async (row: ClaimedRow) => {
    const msg: BusMessage = {
      subject: row.subject,
      data: new Uint8Array(row.payload),
      headers: row.headers,
      msgId: row.msg_id ?? undefined,
      deliveries: row.deliveries,
      working: () => busLog.extendLease(key, row.message_id, row.deliveries, ackWaitMs),
    };
    const disposition = await runHandler(opts.handler, msg, log, "postgresql");
    try {
      if (disposition.kind === "nak") {
        await busLog.release(key, row.message_id, row.deliveries, disposition.delayMs);
        wakeup.wakeAfter(disposition.delayMs);
      } else {
        if (disposition.kind === "term") {
          log.warn({ subject: msg.subject, msgId: msg.msgId, reason: disposition.reason }, "message terminated");
        }
        await busLog.settle(key, row.message_id);
      }
    } catch (err) {
      // The lease runs out and the message comes back: one more delivery, as the contract allows.
      log.warn({ err, subject: msg.subject, msgId: msg.msgId }, "could not settle message; it will be redelivered");
    }
  };

  const loop = async () => {
    while (!stopping) {
      const free = concurrency - inFlight.size;
      let claimed: ClaimedRow[] = [];
      if (free > 0) {
        try {
          claimed = await claim(free);
          failures = 0;
        } catch (err) {
          log.warn({ err, durable: opts.durable }, "claiming messages failed; retrying");
          await wakeup.sleep(backoffMs(++failures, pollIntervalMs, 30_000));
          continue;
        }
      }
      for (const row of claimed) {
        const task = handle(row).finally(() => {
          inFlight.delete(task);
          wakeup.wake();
        });
        inFlight.add(task);
      }
      if (claimed.length < free || free === 0) await wakeup.sleep(pollIntervalMs);
    }
  };
  const running = loop();

  return {
    wake: () => wakeup.wake(),
    async stop() {
      stopping = true;
      wakeup.wake();
      await running;
      await Promise.all(inFlight);
    },
  };
}
