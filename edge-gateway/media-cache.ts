import { ObjectNotFoundError, type ObjectStore } from "../platform/storage/objects.js";

/**
 * How long a cached object is served without asking the store whether it was replaced. Segments
 * never are (a re-encode writes a new job folder), but uploaded subtitles are, in place; this is
 * as long as a player may keep a playlist (max-age=10), so a replaced object is gone from the
 * edge within the time its playlist is.
 */
export const MEDIA_REVALIDATE_SECONDS = 10;

/** An object larger than this share of the cache is streamed instead, so one cannot flush the rest. */
const MAX_ENTRY_SHARE = 8;

interface Entry {
  bytes: Buffer;
  version: string;
  /** When the store last confirmed `version` (seconds, the cache's clock). */
  checkedAt: number;
}

export interface MediaCacheOptions {
  objects: ObjectStore;
  /** Upper bound of the bytes held; 0 keeps nothing. */
  maxBytes: number;
  /** Seconds; injected by tests. */
  now: () => number;
}

/**
 * Whole objects in memory, least recently used out first, bounded by bytes: many viewers fetch
 * the same segments, and answering them from one Buffer spares a file open, reads, chunk buffers
 * and their garbage per request (README, playback under load). An entry older than
 * MEDIA_REVALIDATE_SECONDS is checked against the store's version before it is served again.
 * Concurrent misses of one key share one read.
 */
export class MediaCache {
  private readonly entries = new Map<string, Entry>();
  private readonly loading = new Map<string, Promise<Entry | undefined>>();
  private used = 0;

  constructor(private readonly opts: MediaCacheOptions) {}

  /** Bytes held now; never more than `maxBytes`. */
  get usedBytes(): number {
    return this.used;
  }

  /**
   * The object's bytes, or undefined when it is too large to keep (the caller streams it).
   * Throws ObjectNotFoundError when there is no such object.
   */
  async get(key: string): Promise<Buffer | undefined> {
    const entry = this.entries.get(key);
    if (entry !== undefined) {
      if (this.opts.now() - entry.checkedAt < MEDIA_REVALIDATE_SECONDS || (await this.stillCurrent(key, entry))) {
        // Map order is insertion order: moving the entry to the end keeps the least recent first.
        this.entries.delete(key);
        this.entries.set(key, entry);
        return entry.bytes;
      }
    }
    let load = this.loading.get(key);
    if (load === undefined) {
      load = this.load(key).finally(() => this.loading.delete(key));
      this.loading.set(key, load);
    }
    return (await load)?.bytes;
  }

  private async stillCurrent(key: string, entry: Entry): Promise<boolean> {
    const checkedAt = this.opts.now();
    const info = await this.opts.objects.head(key);
    if (info !== null && info.version === entry.version) {
      entry.checkedAt = checkedAt;
      return true;
    }
    this.evict(key);
    if (info === null) throw new ObjectNotFoundError(key);
    return false;
  }

  private async load(key: string): Promise<Entry | undefined> {
    const checkedAt = this.opts.now();
    const read = await this.opts.objects.getBody(key);
    if (read.size > this.opts.maxBytes / MAX_ENTRY_SHARE) {
      read.body.destroy();
      return undefined;
    }
    const bytes = Buffer.allocUnsafe(read.size);
    let filled = 0;
    for await (const chunk of read.body) {
      const b = chunk as Buffer;
      if (filled + b.length > bytes.length) throw new Error(`object ${key} grew while it was read`);
      b.copy(bytes, filled);
      filled += b.length;
    }
    if (filled !== bytes.length) throw new Error(`object ${key} ended after ${filled} of ${bytes.length} bytes`);
    const entry: Entry = { bytes, version: read.version, checkedAt };
    this.evict(key);
    while (this.used + bytes.length > this.opts.maxBytes) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.evict(oldest.value);
    }
    this.entries.set(key, entry);
    this.used += bytes.length;
    return entry;
  }

  private evict(key: string): void {
    const entry = this.entries.get(key);
    if (entry === undefined) return;
    this.entries.delete(key);
    this.used -= entry.bytes.length;
  }
}
