import type { Kv } from "../../platform/storage/kv.js";
import type { Log } from "../../platform/storage/log.js";
import type { LiveCounters } from "./live-counters.js";
import type { AnalyticsStore, OpenBucket } from "./store.js";

export interface FlushDeps {
  store: AnalyticsStore;
  counters: LiveCounters;
  /** How long after its hour a bucket's counters may still move (heartbeats in flight). */
  graceMs: number;
  now: () => Date;
}

/** Buckets per kv read and Postgres statement. */
const BATCH = 500;

/**
 * Copies the live counters of every open bucket (or one video's) into the hourly aggregates.
 *
 * Safe to run on any number of replicas at once and to crash at any point: the counters are
 * running totals that are read, never moved or reset, and the aggregates are only ever raised to
 * what was read (GREATEST). Two flushes racing write the same or a larger number, a flush that
 * dies leaves the counters where they were for the next one, and a stale read cannot lower what a
 * fresher one wrote. A bucket becomes final (no longer re-read) on the first flush that started
 * after its hour and the grace had passed, so no increment can land after its last copy.
 */
export async function flushCounters(deps: FlushDeps, videoId?: string): Promise<number> {
  // Taken before reading: "final" must only be decided by a read that surely saw every increment.
  const finalBefore = new Date(deps.now().getTime() - deps.graceMs);
  const open = await deps.store.openBuckets(videoId);
  for (let i = 0; i < open.length; i += BATCH) await flushBatch(deps, open.slice(i, i + BATCH), finalBefore);
  return open.length;
}

async function flushBatch(deps: FlushDeps, buckets: OpenBucket[], finalBefore: Date): Promise<void> {
  const counts = await deps.counters.read(buckets);
  // Counters that are gone (expired past retention) read as zero: GREATEST keeps what was copied.
  await deps.store.applyCounts(
    buckets.map((bucket, i) => ({ bucket, counts: counts[i] ?? { views: 0, watchSeconds: 0 } })),
    finalBefore,
  );
}

export interface PeriodicFlusher {
  /** Stops the timer and waits for a flush in progress. */
  stop(): Promise<void>;
}

/**
 * Flushes every `intervalMs`. Replicas take turns through a kv lock held for most of an interval,
 * only to spare duplicate work: correctness does not depend on it (see flushCounters).
 */
export function startPeriodicFlusher(deps: FlushDeps & { kv: Kv; lockKey: string; intervalMs: number; log: Log }): PeriodicFlusher {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const tick = async () => {
    try {
      if (await deps.kv.setIfAbsent(deps.lockKey, "1", Math.max(1, Math.floor(deps.intervalMs * 0.9)))) await flushCounters(deps);
    } catch (err) {
      // The next tick retries from the counters, which nothing has moved; say why this one failed.
      deps.log.error({ err }, "flushing view counters failed");
    }
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = tick().finally(schedule);
    }, deps.intervalMs);
    timer.unref();
  };
  schedule();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
