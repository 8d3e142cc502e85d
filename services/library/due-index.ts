import type { Kv } from "../../platform/storage/kv.js";

/** Width of a due bucket. Fixed, so every replica numbers the buckets alike whatever its window. */
export const DUE_BUCKET_MS = 1_000;

const MGET_CHUNK = 500;

/**
 * A time-bucketed index of work that falls due later, on the kv port alone (Redis has no shared
 * scheduler and the port has no sorted sets): an item due at `t` is appended to bucket
 * floor(t / 1 s) as slot n of a per-bucket counter. A bucket is read once it has closed, by every
 * replica's flusher; items carry their own claim (see ProgressState.takePending), so reading a
 * bucket twice, or from two replicas, does the work once. Entries expire after `retentionMs`.
 */
export class DueIndex {
  constructor(
    private readonly kv: Kv,
    private readonly prefix: string,
    private readonly retentionMs: number,
  ) {}

  static bucketOf(atMs: number): number {
    return Math.floor(atMs / DUE_BUCKET_MS);
  }

  /** The newest bucket every item of which is due at `nowMs`. */
  static lastClosedBucket(nowMs: number): number {
    return DueIndex.bucketOf(nowMs) - 1;
  }

  async add(item: string, dueAtMs: number): Promise<void> {
    const bucket = DueIndex.bucketOf(dueAtMs);
    const slot = await this.kv.incrBy(this.counterKey(bucket), 1, { ttlMs: this.retentionMs });
    await this.kv.set(`${this.counterKey(bucket)}:${slot}`, item, { ttlMs: this.retentionMs });
  }

  /** How many items each bucket holds, in the order of `buckets`. */
  async counts(buckets: readonly number[]): Promise<number[]> {
    const counts: number[] = [];
    for (let i = 0; i < buckets.length; i += MGET_CHUNK) {
      const values = await this.kv.mget(buckets.slice(i, i + MGET_CHUNK).map((b) => this.counterKey(b)));
      counts.push(...values.map((v) => (v === null ? 0 : Number(v))));
    }
    return counts;
  }

  /** The distinct items of a bucket holding `count` slots (a slot whose write was lost is skipped). */
  async items(bucket: number, count: number): Promise<string[]> {
    const found = new Set<string>();
    for (let first = 1; first <= count; first += MGET_CHUNK) {
      const slots = Array.from({ length: Math.min(MGET_CHUNK, count - first + 1) }, (_, i) => `${this.counterKey(bucket)}:${first + i}`);
      for (const item of await this.kv.mget(slots)) if (item !== null) found.add(item);
    }
    return [...found];
  }

  private counterKey(bucket: number): string {
    return `${this.prefix}${bucket}`;
  }
}
