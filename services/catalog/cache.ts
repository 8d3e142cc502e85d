import type { Kv } from "../../platform/storage/kv.js";
import { silentLog, type Log } from "../../platform/storage/log.js";
import type { CategoryEntry, GenreRatingCount, SortKey, Title } from "./model.js";

export interface CatalogCacheOptions {
  kv: Kv;
  /** Lifetime of an entry (seeds §6.6: content metadata, 1 hour). */
  ttlMs: number;
  /** Prepended to every key, so environments (or test runs) sharing a Redis never meet. */
  namespace?: string;
  log?: Log;
}

/** Bump when the cached shapes change, so a deploy never reads entries written by the previous one. */
const FORMAT = "v2";

/**
 * Read-through cache of the catalog's unfiltered data: whole titles, the ordered (id, rating) list
 * of each category and sort, and the per-genre counts. Who may see what is decided after the cache
 * (visibility.ts), so one entry serves every viewer.
 *
 * Invalidation is correct across replicas sharing Redis, without scanning keys:
 *  - each title has a version counter; its entry records the version read *before* the database
 *    was, and is served only while the counter still has that value. A write commits, then bumps
 *    the counter (and deletes the entry), so a reader that loaded the old row before the commit but
 *    stores it after cannot bring it back;
 *  - lists live under a generation counter that every write bumps; keys of older generations are
 *    never read again and expire with their TTL.
 * Counters have no TTL (a few bytes per title ever written). Redis must not evict keys without a
 * TTL (`maxmemory-policy` volatile-* or noeviction), or a reset counter could revive a stale entry.
 *
 * The cache is an optimisation: when it cannot be read, reads go to the database (logged);
 * when it cannot be invalidated the write's caller gets the error, since stale reads would follow.
 */
export class CatalogCache {
  private readonly kv: Kv;
  private readonly ttlMs: number;
  private readonly prefix: string;
  private readonly log: Log;

  constructor(options: CatalogCacheOptions) {
    this.kv = options.kv;
    this.ttlMs = options.ttlMs;
    this.prefix = `${options.namespace ?? ""}${FORMAT}:`;
    this.log = options.log ?? silentLog;
  }

  /** Titles by id (unknown ids absent), loading the misses with `load` and caching them, absences too. */
  async titles(ids: readonly string[], load: (ids: string[]) => Promise<Map<string, Title>>): Promise<Map<string, Title>> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return new Map();
    let raw: (string | null)[];
    try {
      raw = await this.kv.mget([...unique.map((id) => this.versionKey(id)), ...unique.map((id) => this.titleKey(id))]);
    } catch (err) {
      this.log.warn({ err }, "catalog cache unreadable; reading titles from the database");
      return load(unique);
    }
    const found = new Map<string, Title>();
    const missing: { id: string; version: number }[] = [];
    unique.forEach((id, i) => {
      const version = Number(raw[i] ?? 0);
      const entry = decode<TitleEntry>(raw[unique.length + i]);
      if (entry === undefined || entry.v !== version) missing.push({ id, version });
      else if (entry.t !== null) found.set(id, entry.t);
    });
    if (missing.length === 0) return found;
    const loaded = await load(missing.map((m) => m.id));
    await this.fill(
      missing.map(({ id, version }) => {
        const title = loaded.get(id);
        if (title !== undefined) found.set(id, title);
        return [this.titleKey(id), JSON.stringify({ v: version, t: title ?? null } satisfies TitleEntry)];
      }),
    );
    return found;
  }

  /**
   * Every published title of a genre in one sort order. An empty list is not kept: the category
   * comes from the caller, and made-up names must not fill the cache (their query is an index miss).
   */
  category(slug: string, sort: SortKey, load: () => Promise<CategoryEntry[]>): Promise<CategoryEntry[]> {
    return this.listThrough((gen) => `category:${gen}:${sort}:${slug}`, load, (entries) => entries.length > 0);
  }

  /** Every published title in one sort order. */
  published(sort: SortKey, load: () => Promise<CategoryEntry[]>): Promise<CategoryEntry[]> {
    return this.listThrough((gen) => `published:${gen}:${sort}`, load);
  }

  /** Published titles counted per genre and rating. */
  genreCounts(load: () => Promise<GenreRatingCount[]>): Promise<GenreRatingCount[]> {
    return this.listThrough((gen) => `genres:${gen}`, load);
  }

  /** The title of a video: fixed for the video's life, so cached without invalidation (never when absent). */
  async videoOwner(videoId: string, load: () => Promise<string | undefined>): Promise<string | undefined> {
    const key = this.key(`video-owner:${videoId}`);
    const cached = await this.read(key);
    if (cached !== null) return cached;
    const owner = await load();
    if (owner !== undefined) await this.fill([[key, owner]]);
    return owner;
  }

  /** After a committed change to these titles: their entries and every list stop being served. */
  async invalidate(contentIds: readonly string[]): Promise<void> {
    await Promise.all(contentIds.map((id) => this.kv.incrBy(this.versionKey(id), 1)));
    await this.kv.del(contentIds.map((id) => this.titleKey(id)));
    await this.kv.incrBy(this.key("lists-generation"), 1);
  }

  private async listThrough<T>(keyOf: (generation: string) => string, load: () => Promise<T>, worthKeeping: (value: T) => boolean = () => true): Promise<T> {
    // The generation is read before the database, for the same reason as a title's version.
    const generation = (await this.read(this.key("lists-generation"))) ?? "0";
    const key = this.key(keyOf(generation));
    const cached = decode<T>(await this.read(key));
    if (cached !== undefined) return cached;
    const value = await load();
    if (worthKeeping(value)) await this.fill([[key, JSON.stringify(value)]]);
    return value;
  }

  private async read(key: string): Promise<string | null> {
    try {
      return await this.kv.get(key);
    } catch (err) {
      this.log.warn({ err, key }, "catalog cache unreadable; reading from the database");
      return null;
    }
  }

  private async fill(entries: [key: string, value: string][]): Promise<void> {
    try {
      await Promise.all(entries.map(([key, value]) => this.kv.set(key, value, { ttlMs: this.ttlMs })));
    } catch (err) {
      this.log.warn({ err }, "catalog cache not filled");
    }
  }

  private key(suffix: string): string {
    return this.prefix + suffix;
  }

  private titleKey(id: string): string {
    return this.key(`title:${id}`);
  }

  private versionKey(id: string): string {
    return this.key(`title-version:${id}`);
  }
}

/** A cached title (null: known not to exist) and the version it was read at. */
interface TitleEntry {
  v: number;
  t: Title | null;
}

/** Timestamps travel as ISO strings; every domain timestamp is named `…At`. */
function decode<T>(raw: string | null | undefined): T | undefined {
  if (raw === null || raw === undefined) return undefined;
  try {
    return JSON.parse(raw, (key, value) => (key.endsWith("At") && typeof value === "string" ? new Date(value) : value)) as T;
  } catch {
    return undefined;
  }
}
