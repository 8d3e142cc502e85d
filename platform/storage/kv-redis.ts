import { Redis } from "ioredis";
import type { Kv } from "./kv.js";
import type { Log } from "./log.js";
import { silentLog } from "./log.js";

export interface RedisKvOptions {
  url: string;
  /** Prepended to every key, e.g. `cinemesh:catalog:`, so services sharing a Redis never collide. */
  namespace: string;
  log?: Log;
}

// INCRBY then, only if the key has no TTL yet (PTTL -1), start its expiry: one round trip,
// atomic, and works on every Redis version (PEXPIRE … NX needs 7.0).
const INCR_WITH_TTL = `
local value = redis.call('INCRBY', KEYS[1], ARGV[1])
if ARGV[2] ~= '' and redis.call('PTTL', KEYS[1]) == -1 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return value`;

/** Redis-backed key-value store shared by all replicas (production). */
export function createRedisKv(options: RedisKvOptions): Kv {
  const redis = new Redis(options.url, { maxRetriesPerRequest: 3, lazyConnect: false });
  // ioredis reconnects by itself and fails the commands it cannot run; this only records why.
  const log = options.log ?? silentLog;
  redis.on("error", (err) => log.warn({ err }, "redis connection error"));
  const ns = options.namespace;
  const k = (key: string) => ns + key;

  const scanDelete = async (pattern: string): Promise<number> => {
    let deleted = 0;
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", pattern, "COUNT", 500);
      cursor = next;
      if (keys.length > 0) deleted += await redis.unlink(...keys);
    } while (cursor !== "0");
    return deleted;
  };

  const incrBy = async (key: string, by: number, ttlMs: number | undefined): Promise<number> => {
    if (!Number.isSafeInteger(by)) throw new Error(`increment must be an integer, got ${by}`);
    if (ttlMs !== undefined) assertTtl(ttlMs);
    const result = await redis.eval(INCR_WITH_TTL, 1, k(key), by, ttlMs ?? "");
    return Number(result);
  };

  return {
    get: (key) => redis.get(k(key)),
    async mget(keys) {
      return keys.length === 0 ? [] : redis.mget(keys.map(k));
    },
    async set(key, value, opts) {
      if (opts?.ttlMs === undefined) await redis.set(k(key), value);
      else await redis.set(k(key), value, "PX", assertTtl(opts.ttlMs));
    },
    async setIfAbsent(key, value, ttlMs) {
      return (await redis.set(k(key), value, "PX", assertTtl(ttlMs), "NX")) === "OK";
    },
    async del(keys) {
      const list = typeof keys === "string" ? [keys] : keys;
      return list.length === 0 ? 0 : redis.del(...list.map(k));
    },
    delByPrefix: (prefix) => scanDelete(escapeGlob(k(prefix)) + "*"),
    incrBy: (key, by, opts) => incrBy(key, by, opts?.ttlMs),
    async expire(key, ttlMs) {
      return (await redis.pexpire(k(key), assertTtl(ttlMs))) === 1;
    },
    hit: (key, windowMs) => incrBy(key, 1, windowMs),
    async close() {
      await redis.quit();
    },
  };
}

/** Escapes Redis glob metacharacters so a prefix matches literally. */
function escapeGlob(s: string): string {
  return s.replace(/[*?[\]\\]/g, "\\$&");
}

function assertTtl(ttlMs: number): number {
  if (!Number.isInteger(ttlMs) || ttlMs <= 0) throw new Error(`ttlMs must be a positive integer, got ${ttlMs}`);
  return ttlMs;
}
