import { jobNotFound } from "./errors.js";
import type { LiveProgress } from "./live.js";
import { isTerminal, type Job, type JobProgress } from "./model.js";
import type { MediaStore } from "./store.js";

export interface WatchDeps {
  store: MediaStore;
  live: LiveProgress;
  /** Re-read the job after this long without a live message (a lost one, a job nobody works on yet). */
  pollMs: number;
}

export interface JobSnapshot {
  jobId: string;
  videoId: string;
  progress: JobProgress;
}

/**
 * A job's progress as a stream: the stored state first, then every live snapshot the workers
 * publish, until the job is COMPLETED or FAILED. Subscribing comes before reading the stored
 * state, so nothing published in between is missed; the periodic re-read catches a final state
 * whose live message was lost.
 */
export async function* watchJob(deps: WatchDeps, jobId: string, signal: AbortSignal): AsyncGenerator<JobSnapshot> {
  const inbox = new Inbox<JobProgress>();
  const subscription = await deps.live.subscribe(jobId, (p) => inbox.push(p));
  try {
    const job = await deps.store.getJob(jobId);
    if (job === undefined) throw jobNotFound(jobId);
    let last = progressOf(job);
    yield { jobId, videoId: job.videoId, progress: last };
    while (!isTerminal(last.status)) {
      const live = await inbox.next(deps.pollMs, signal);
      if (signal.aborted) return;
      const next = live ?? progressOf((await deps.store.getJob(jobId)) ?? job);
      if (sameProgress(next, last)) continue;
      last = next;
      yield { jobId, videoId: job.videoId, progress: last };
    }
  } finally {
    subscription.stop();
  }
}

export function progressOf(job: Job): JobProgress {
  return { status: job.status, percent: job.percent, etaSeconds: job.etaSeconds, renditions: job.renditions, failureReason: job.failureReason };
}

function sameProgress(a: JobProgress, b: JobProgress): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** A queue read with a timeout; only the latest few items matter, so it keeps at most `max`. */
class Inbox<T> {
  private readonly items: T[] = [];
  private waiter: (() => void) | undefined;

  constructor(private readonly max = 64) {}

  push(item: T): void {
    this.items.push(item);
    if (this.items.length > this.max) this.items.shift();
    this.waiter?.();
  }

  /** The oldest queued item, or undefined after `timeoutMs` (or on abort) without one. */
  async next(timeoutMs: number, signal: AbortSignal): Promise<T | undefined> {
    if (this.items.length === 0 && !signal.aborted) {
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          signal.removeEventListener("abort", done);
          this.waiter = undefined;
          resolve();
        };
        const timer = setTimeout(done, timeoutMs);
        signal.addEventListener("abort", done, { once: true });
        this.waiter = done;
      });
    }
    return this.items.shift();
  }
}
