import type { Kv } from "../../platform/storage/kv.js";
import { HOUR_MS, msUntilAfterHour } from "./hours.js";

/**
 * How long an hour's counters outlive the hour. The flusher copies them into Postgres while they
 * exist, so a flusher outage shorter than this loses nothing.
 */
export const COUNTER_RETENTION_MS = 48 * HOUR_MS;

/** One video's counts in one clock hour. */
export interface BucketCounts {
  views: number;
  watchSeconds: number;
}

export interface Bucket {
  videoId: string;
  hour: Date;
}

/**
 * Per video per hour counters in kv (Redis in production), incremented by every heartbeat. They
 * only ever grow while they live, so a reader always sees a running total of the hour and copying
 * it anywhere is idempotent: that is what lets the flusher run on any number of replicas at once.
 */
export class LiveCounters {
  constructor(
    private readonly kv: Kv,
    private readonly namespace: string,
  ) {}

  async addWatch(bucket: Bucket, seconds: number, now: Date): Promise<void> {
    await this.kv.incrBy(this.key(bucket, "watch"), seconds, { ttlMs: msUntilAfterHour(bucket.hour, COUNTER_RETENTION_MS, now) });
  }

  async addView(bucket: Bucket, now: Date): Promise<void> {
    await this.kv.incrBy(this.key(bucket, "views"), 1, { ttlMs: msUntilAfterHour(bucket.hour, COUNTER_RETENTION_MS, now) });
  }

  /** The running totals of each bucket, in order; `null` where the counters are gone (expired or never written). */
  async read(buckets: readonly Bucket[]): Promise<(BucketCounts | null)[]> {
    if (buckets.length === 0) return [];
    const values = await this.kv.mget(buckets.flatMap((b) => [this.key(b, "views"), this.key(b, "watch")]));
    return buckets.map((_, i) => {
      const [views, watch] = [values[2 * i], values[2 * i + 1]];
      if (views === null && watch === null) return null;
      return { views: Number(views ?? 0), watchSeconds: Number(watch ?? 0) };
    });
  }

  private key(b: Bucket, counter: "views" | "watch"): string {
    return `${this.namespace}c:${b.hour.getTime()}:${b.videoId}:${counter}`;
  }
}
