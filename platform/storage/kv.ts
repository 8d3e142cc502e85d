/**
 * Key-value port: cache entries, debounce flags and locks, counters and rate limits.
 *
 * Production: Redis (`kv-redis.ts`), shared by every replica. Embedded: in-process memory
 * (`kv-memory.ts`), correct for a single replica. Values are strings; callers encode
 * (JSON, base64 of protobuf bytes). All TTLs are in milliseconds.
 */
export interface Kv {
  get(key: string): Promise<string | null>;
  /** Values in the order of `keys`, `null` where a key is absent. */
  mget(keys: readonly string[]): Promise<(string | null)[]>;
  /** Stores the value; without `ttlMs` the key never expires (any earlier TTL is cleared). */
  set(key: string, value: string, options?: { ttlMs?: number }): Promise<void>;
  /**
   * Stores the value only if the key is absent, atomically, and reports whether it did.
   * The building block for debounce windows and short-lived locks, hence the mandatory TTL.
   */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
  /** Deletes the keys; resolves to how many existed. */
  del(keys: string | readonly string[]): Promise<number>;
  /**
   * Deletes every key starting with `prefix` (cache invalidation by family, e.g. `title:123:`);
   * resolves to how many existed. Cost grows with the keyspace, so keep it off hot paths.
   */
  delByPrefix(prefix: string): Promise<number>;
  /**
   * Adds `by` to the integer at `key` (absent counts as 0) and returns the new value.
   * `ttlMs` is applied only when the key has no TTL yet, i.e. when the counter starts,
   * so a stream of increments does not keep extending its life. Throws if the value is not an integer.
   */
  incrBy(key: string, by: number, options?: { ttlMs?: number }): Promise<number>;
  /** Sets a TTL on an existing key; resolves to false if the key does not exist. */
  expire(key: string, ttlMs: number): Promise<boolean>;
  /**
   * Counts a hit in a fixed window that opens with the first hit and lasts `windowMs`;
   * returns the hits so far in the window (1 for the first). Rate limiting is
   * `if (await kv.hit(\`rl:ip:${ip}\`, 60_000) > limit) reject()`.
   */
  hit(key: string, windowMs: number): Promise<number>;
  close(): Promise<void>;
}
