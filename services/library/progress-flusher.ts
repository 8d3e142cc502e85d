import type { Log } from "../../platform/storage/log.js";
import { DueIndex } from "./due-index.js";
import type { ProgressRecorder } from "./progress-recorder.js";
import type { ProgressState } from "./progress-state.js";

export interface ProgressFlusherOptions {
  state: ProgressState;
  recorder: ProgressRecorder;
  intervalMs: number;
  /** The debounce window: at shutdown, everything due within it is flushed at once. */
  windowMs: number;
  /** How far back a starting flusher looks for buckets nobody flushed (a crash of every replica). */
  lookbackMs?: number;
  log: Log;
  now?: () => number;
}

export interface ProgressFlusher {
  /** Flushes every due bucket now (tests; the timer does the same every interval). */
  flushDue(): Promise<void>;
  /** Stops the timer, then writes every pending report at once, window or not, and resolves. */
  stop(): Promise<void>;
}

const ITEM_CONCURRENCY = 16;

/**
 * Writes the reports the debounce window held back (the trailing writes), once their window has
 * closed: every `intervalMs` it reads the closed buckets of the due index it has not read yet and
 * flushes their items. Every replica runs one; each item is written once (ProgressState.takePending).
 * A bucket that cannot be read (kv down) is read again next time; an item whose write fails is
 * pending again, due a window later.
 */
export function startProgressFlusher(options: ProgressFlusherOptions): ProgressFlusher {
  const { state, recorder, log } = options;
  const now = options.now ?? Date.now;
  const lookbackBuckets = Math.ceil((options.lookbackMs ?? 60 * 60 * 1000) / 1000);
  let cursor = DueIndex.lastClosedBucket(now()) - lookbackBuckets;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;

  const flushItems = async (items: string[], force: boolean) => {
    for (let i = 0; i < items.length; i += ITEM_CONCURRENCY) {
      await Promise.all(
        items.slice(i, i + ITEM_CONCURRENCY).map(async (item) => {
          const [profileId, videoId] = item.split(":");
          try {
            await recorder.flush(profileId, videoId, force);
          } catch (err) {
            log.warn({ err, profileId, videoId }, "progress write failed; pending again");
          }
        }),
      );
    }
  };

  /** Reads buckets cursor+1 … last; the cursor advances past each bucket once its items are done. */
  const flushThrough = async (last: number, force: boolean) => {
    if (last <= cursor) return;
    const buckets = Array.from({ length: last - cursor }, (_, i) => cursor + 1 + i);
    const counts = await state.due.counts(buckets);
    for (const [i, bucket] of buckets.entries()) {
      if (counts[i] > 0) await flushItems(await state.due.items(bucket, counts[i]), force);
      cursor = bucket;
    }
  };

  const tick = () => flushThrough(DueIndex.lastClosedBucket(now()), false);
  const serial = (work: () => Promise<void>) => {
    running = running.then(work).catch((err: unknown) => log.warn({ err }, "progress flush round failed; retrying next round"));
    return running;
  };

  const timer = setInterval(() => {
    if (!stopped) void serial(tick);
  }, options.intervalMs);
  timer.unref();

  return {
    flushDue: () => serial(tick),
    async stop() {
      stopped = true;
      clearInterval(timer);
      await serial(() => flushThrough(DueIndex.bucketOf(now() + options.windowMs) + 1, true));
    },
  };
}
