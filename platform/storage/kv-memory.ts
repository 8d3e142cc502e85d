import { performance } from "node:perf_hooks";
import { ExpiryHeap } from "./expiry-heap.js";
import type { Kv } from "./kv.js";

interface Entry {
  value: string;
  /** Monotonic-clock deadline; undefined means no TTL. */
  expiresAt: number | undefined;
}

export interface MemoryKvOptions {
  /** How often expired keys are reclaimed even if nobody reads them. */
  sweepIntervalMs?: number;
  /** Clock in milliseconds; monotonic so wall-clock jumps do not expire or revive keys. */
  now?: () => number;
}

export interface MemoryKv extends Kv {
  /** Keys held in memory, including expired ones the sweep has not reclaimed yet. */
  readonly size: number;
}

/**
 * In-process key-value store for a single replica (the embedded default).
 * Expired keys are invisible at once (checked on every access) and their memory is reclaimed
 * by a periodic sweep driven by a heap of deadlines, so the sweep costs O(expired · log n).
 */
export function createMemoryKv(options: MemoryKvOptions = {}): MemoryKv {
  const now = options.now ?? (() => performance.now());
  const entries = new Map<string, Entry>();
  const deadlines = new ExpiryHeap();

  const live = (key: string): Entry | undefined => {
    const entry = entries.get(key);
    if (entry?.expiresAt !== undefined && entry.expiresAt <= now()) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  };

  const write = (key: string, value: string, ttlMs: number | undefined): Entry => {
    if (ttlMs !== undefined) assertTtl(ttlMs);
    const entry: Entry = { value, expiresAt: undefined };
    entries.set(key, entry);
    if (ttlMs !== undefined) setDeadline(key, entry, ttlMs);
    return entry;
  };

  const setDeadline = (key: string, entry: Entry, ttlMs: number) => {
    assertTtl(ttlMs);
    entry.expiresAt = now() + ttlMs;
    deadlines.push({ at: entry.expiresAt, key });
  };

  const sweep = () => {
    const t = now();
    for (let due = deadlines.popDue(t); due; due = deadlines.popDue(t)) {
      // Stale if the key was deleted, rewritten or given another TTL since this entry was pushed.
      if (entries.get(due.key)?.expiresAt === due.at) entries.delete(due.key);
    }
    if (deadlines.size > 2 * entries.size + 1024) {
      deadlines.compact((d) => entries.get(d.key)?.expiresAt === d.at);
    }
  };
  const sweeper = setInterval(sweep, options.sweepIntervalMs ?? 1000);
  sweeper.unref();

  const deleteKeys = (keys: Iterable<string>) => {
    let n = 0;
    for (const key of keys) if (live(key) && entries.delete(key)) n++;
    return n;
  };

  const incrBy = (key: string, by: number, ttlMs: number | undefined): number => {
    assertInteger(by);
    if (ttlMs !== undefined) assertTtl(ttlMs);
    const entry = live(key);
    const next = (entry === undefined ? 0 : parseInteger(entry.value)) + by;
    const target = entry ?? write(key, "", undefined);
    target.value = String(next);
    if (ttlMs !== undefined && target.expiresAt === undefined) setDeadline(key, target, ttlMs);
    return next;
  };

  return {
    get size() {
      return entries.size;
    },
    async get(key) {
      return live(key)?.value ?? null;
    },
    async mget(keys) {
      return keys.map((key) => live(key)?.value ?? null);
    },
    async set(key, value, opts) {
      write(key, value, opts?.ttlMs);
    },
    async setIfAbsent(key, value, ttlMs) {
      if (live(key)) return false;
      write(key, value, ttlMs);
      return true;
    },
    async del(keys) {
      return deleteKeys(typeof keys === "string" ? [keys] : keys);
    },
    async delByPrefix(prefix) {
      return deleteKeys([...entries.keys()].filter((key) => key.startsWith(prefix)));
    },
    async incrBy(key, by, opts) {
      return incrBy(key, by, opts?.ttlMs);
    },
    async expire(key, ttlMs) {
      const entry = live(key);
      if (!entry) return false;
      setDeadline(key, entry, ttlMs);
      return true;
    },
    async hit(key, windowMs) {
      return incrBy(key, 1, windowMs);
    },
    async close() {
      clearInterval(sweeper);
      entries.clear();
    },
  };
}

function parseInteger(value: string): number {
  if (!/^-?\d+$/.test(value)) throw new Error(`value is not an integer: ${JSON.stringify(value)}`);
  return Number(value);
}

function assertInteger(n: number): void {
  if (!Number.isSafeInteger(n)) throw new Error(`increment must be an integer, got ${n}`);
}

function assertTtl(ttlMs: number): void {
  if (!Number.isInteger(ttlMs) || ttlMs <= 0) throw new Error(`ttlMs must be a positive integer, got ${ttlMs}`);
}
