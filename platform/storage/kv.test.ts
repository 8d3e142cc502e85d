import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Kv } from "./kv.js";
import { createMemoryKv } from "./kv-memory.js";
import { createRedisKv } from "./kv-redis.js";

/** How long `vi.waitFor` waits for what happens asynchronously (events, expiry). */
const SETTLE = { timeout: 15_000, interval: 50 };

const redisUrl = process.env.REDIS_URL;

interface KvTarget {
  label: string;
  skip: boolean;
  /** A store confined to a fresh namespace; `cleanup` deletes everything in it and closes it. */
  open(): { kv: Kv; cleanup(): Promise<void> };
}

const targets: KvTarget[] = [
  {
    label: "in-process memory",
    skip: false,
    open: () => {
      const kv = createMemoryKv({ sweepIntervalMs: 20 });
      return { kv, cleanup: () => kv.close() };
    },
  },
  {
    label: redisUrl ? "redis at REDIS_URL" : "redis at REDIS_URL (skipped: REDIS_URL not set)",
    skip: !redisUrl,
    open: () => {
      const kv = createRedisKv({ url: redisUrl!, namespace: `cinemesh-test:${randomUUID()}:` });
      return {
        kv,
        async cleanup() {
          await kv.delByPrefix("");
          await kv.close();
        },
      };
    },
  },
];

/** Polls until `check` passes; the TTL tests wait for expiry without asserting how long it took. */

describe.each(targets)("key-value store on $label", { timeout: 15_000 }, ({ skip, open }) => {
  let kv: Kv;
  let cleanup: () => Promise<void>;

  beforeEach(() => {
    if (skip) return;
    ({ kv, cleanup } = open());
  });
  afterEach(async () => {
    if (!skip) await cleanup();
  });

  it.skipIf(skip)("gets what was set, null for absent keys, and mget keeps key order", async () => {
    await kv.set("a", "1");
    await kv.set("c", "3");
    expect(await kv.get("a")).toBe("1");
    expect(await kv.get("b")).toBeNull();
    expect(await kv.mget(["c", "b", "a"])).toEqual(["3", null, "1"]);
    expect(await kv.mget([])).toEqual([]);
  });

  it.skipIf(skip)("expires a key after its TTL, and set without TTL clears an earlier TTL", async () => {
    await kv.set("short", "x", { ttlMs: 50 });
    await kv.set("kept", "y", { ttlMs: 50 });
    await kv.set("kept", "y2");
    expect(await kv.get("short")).toBe("x");
    await vi.waitFor(async () => expect(await kv.get("short")).toBeNull(), SETTLE);
    expect(await kv.get("kept")).toBe("y2");
  });

  it.skipIf(skip)("setIfAbsent lets exactly one of many concurrent callers win, until the TTL frees the key", async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => kv.setIfAbsent("lock", `owner-${i}`, 100)),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = results.indexOf(true);
    expect(await kv.get("lock")).toBe(`owner-${winner}`);
    await vi.waitFor(async () => expect(await kv.setIfAbsent("lock", "next", 60_000)).toBe(true), SETTLE);
    expect(await kv.get("lock")).toBe("next");
  });

  it.skipIf(skip)("deletes keys and reports how many existed", async () => {
    await kv.set("x", "1");
    await kv.set("y", "2");
    expect(await kv.del(["x", "y", "z"])).toBe(2);
    expect(await kv.del("x")).toBe(0);
    expect(await kv.get("y")).toBeNull();
  });

  it.skipIf(skip)("deletes by prefix, treating glob characters in the prefix literally", async () => {
    await kv.set("title:1:card", "a");
    await kv.set("title:1:detail", "b");
    await kv.set("title:10:card", "c");
    await kv.set("title:*:x", "d");
    await kv.set("title:?:x", "e");
    expect(await kv.delByPrefix("title:1:")).toBe(2);
    expect(await kv.mget(["title:1:card", "title:1:detail", "title:10:card"])).toEqual([null, null, "c"]);
    expect(await kv.delByPrefix("title:*")).toBe(1);
    expect(await kv.get("title:?:x")).toBe("e");
  });

  it.skipIf(skip)("increments atomically under concurrency, starting from zero", async () => {
    await Promise.all(Array.from({ length: 50 }, () => kv.incrBy("views", 2)));
    expect(await kv.incrBy("views", -1)).toBe(99);
    expect(await kv.get("views")).toBe("99");
  });

  it.skipIf(skip)("starts a counter's TTL with its first increment and does not extend it on later ones", async () => {
    expect(await kv.incrBy("window", 1, { ttlMs: 150 })).toBe(1);
    expect(await kv.incrBy("window", 1, { ttlMs: 60_000 })).toBe(2);
    await vi.waitFor(async () => expect(await kv.get("window")).toBeNull(), SETTLE);
    expect(await kv.incrBy("window", 5, { ttlMs: 60_000 })).toBe(5);
  });

  it.skipIf(skip)("refuses to increment a value that is not an integer", async () => {
    await kv.set("name", "arrival");
    await expect(kv.incrBy("name", 1)).rejects.toThrow(/integer/);
    expect(await kv.get("name")).toBe("arrival");
  });

  it.skipIf(skip)("expire sets a TTL on an existing key and reports a missing one", async () => {
    await kv.set("session", "s");
    expect(await kv.expire("session", 50)).toBe(true);
    expect(await kv.expire("missing", 50)).toBe(false);
    await vi.waitFor(async () => expect(await kv.get("session")).toBeNull(), SETTLE);
  });

  it.skipIf(skip)("counts rate-limit hits per window and starts over when the window ends", async () => {
    expect([await kv.hit("rl:ip:1", 60_000), await kv.hit("rl:ip:1", 60_000), await kv.hit("rl:ip:1", 60_000)]).toEqual([1, 2, 3]);
    expect(await kv.hit("rl:ip:2", 60_000)).toBe(1);

    expect(await kv.hit("rl:burst", 100)).toBe(1);
    expect(await kv.hit("rl:burst", 100)).toBe(2);
    await vi.waitFor(async () => expect(await kv.hit("rl:burst", 100)).toBe(1), SETTLE);
  });

  it.skipIf(skip)("rejects TTLs that are not positive integers", async () => {
    await expect(kv.set("k", "v", { ttlMs: 0 })).rejects.toThrow(/ttlMs/);
    await expect(kv.setIfAbsent("k", "v", -5)).rejects.toThrow(/ttlMs/);
    expect(await kv.get("k")).toBeNull();
  });
});

describe("in-process memory key-value store", () => {
  it("reclaims the memory of expired keys that nobody reads again", async () => {
    let t = 0;
    const kv = createMemoryKv({ sweepIntervalMs: 10, now: () => t });
    try {
      for (let i = 0; i < 1000; i++) await kv.set(`k${i}`, "v", { ttlMs: 20 });
      await kv.set("forever", "v");
      expect(kv.size).toBe(1001);
      t = 20;
      await vi.waitFor(async () => expect(kv.size).toBe(1), SETTLE);
    } finally {
      await kv.close();
    }
  });

  it("uses the clock it is given, so TTLs survive wall-clock jumps", async () => {
    let t = 0;
    const kv = createMemoryKv({ now: () => t });
    try {
      await kv.set("k", "v", { ttlMs: 1000 });
      t = 999;
      expect(await kv.get("k")).toBe("v");
      t = 1000;
      expect(await kv.get("k")).toBeNull();
    } finally {
      await kv.close();
    }
  });
});
