import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import type { Kv } from "../../platform/storage/kv.js";
import { createMemoryKv } from "../../platform/storage/kv-memory.js";
import { createRedisKv } from "../../platform/storage/kv-redis.js";
import { CatalogCache } from "./cache.js";
import { ContentStatus, ContentType, MaturityRating, type CategoryEntry, type Title } from "./model.js";

const redisUrl = process.env.REDIS_URL;
const targets = [
  { label: "in-process kv", skip: false, shared: false, open: (_ns: string): Kv => createMemoryKv() },
  {
    label: redisUrl ? "redis at REDIS_URL" : "redis (skipped: REDIS_URL not set)",
    skip: !redisUrl,
    shared: true,
    open: (ns: string): Kv => createRedisKv({ url: redisUrl!, namespace: ns }),
  },
];

function title(id: string, name: string): Title {
  const at = new Date("2024-05-01T12:00:00.000Z");
  return {
    id, title: name, description: "", type: ContentType.MOVIE, genres: ["Drama"], releaseYear: 2020, durationMinutes: 100,
    rating: MaturityRating.PG, language: "en", cast: [], director: "", thumbnailUrl: "", backdropUrl: "", trailerUrl: "",
    originalTitle: "", keywords: ["heist"], externalIds: [{ source: "imdb", id }],
    status: ContentStatus.PUBLISHED, popularity: 0, averageRating: 0, ratingCount: 0, viewCount: 0, seasons: [], episodes: [],
    createdAt: at, updatedAt: at, publishedAt: at,
  };
}

/** A stand-in for the database: the rows, and a count of reads reaching it. */
function database() {
  const rows = new Map<string, Title>();
  let categoryRows: CategoryEntry[] = [];
  const db = {
    rows,
    reads: 0,
    setCategory: (entries: CategoryEntry[]) => (categoryRows = entries),
    loadTitles: async (ids: string[]) => {
      db.reads++;
      return new Map(ids.flatMap((id) => (rows.has(id) ? [[id, structuredClone(rows.get(id)!)] as const] : [])));
    },
    loadCategory: async () => {
      db.reads++;
      return categoryRows;
    },
  };
  return db;
}

/** Holds a reader between its database read and its cache fill, while the test writes. */
function paused() {
  let reach!: () => void;
  let release!: () => void;
  const reached = new Promise<void>((r) => (reach = r));
  const released = new Promise<void>((r) => (release = r));
  return {
    reached,
    release: () => release(),
    pause: () => {
      reach();
      return released;
    },
  };
}

describe.each(targets)("catalog cache on $label", ({ skip, shared, open }) => {
  const namespace = `cinemesh-test:${randomUUID()}:`;
  const kvs: Kv[] = [];
  const newCache = () => {
    const kv = open(namespace);
    kvs.push(kv);
    return new CatalogCache({ kv, ttlMs: 60_000, namespace: "catalog-cache-test:" });
  };
  afterAll(async () => {
    await kvs[0]?.delByPrefix("");
    for (const kv of kvs) await kv.close();
  });

  it.skipIf(skip)("serves a title from the cache until it is invalidated, then reads the change", async () => {
    const cache = newCache();
    const db = database();
    const id = randomUUID();
    db.rows.set(id, title(id, "Heat"));
    expect((await cache.titles([id], db.loadTitles)).get(id)).toEqual(title(id, "Heat"));
    expect((await cache.titles([id], db.loadTitles)).get(id)).toEqual(title(id, "Heat"));
    expect(db.reads).toBe(1);

    db.rows.set(id, title(id, "Heat (Director's Cut)"));
    expect((await cache.titles([id], db.loadTitles)).get(id)?.title).toBe("Heat");
    await cache.invalidate([id]);
    expect((await cache.titles([id], db.loadTitles)).get(id)?.title).toBe("Heat (Director's Cut)");

    db.rows.delete(id);
    await cache.invalidate([id]);
    expect((await cache.titles([id], db.loadTitles)).has(id)).toBe(false);
    // The absence is cached too, until the next write to that id.
    const reads = db.reads;
    expect((await cache.titles([id], db.loadTitles)).has(id)).toBe(false);
    expect(db.reads).toBe(reads);
  });

  it.skipIf(skip)("never caches a title read before a write but stored after it", async () => {
    const cache = newCache();
    const db = database();
    const id = randomUUID();
    db.rows.set(id, title(id, "Old"));
    // A slow reader: it has read the old row, then the writer commits and invalidates, then it stores.
    const gate = paused();
    const slowRead = cache.titles([id], async (ids) => {
      const loaded = await db.loadTitles(ids);
      await gate.pause();
      return loaded;
    });
    await gate.reached;
    db.rows.set(id, title(id, "New"));
    await cache.invalidate([id]);
    gate.release();
    expect((await slowRead).get(id)?.title).toBe("Old");
    expect((await cache.titles([id], db.loadTitles)).get(id)?.title).toBe("New");
  });

  it.skipIf(skip)("keeps lists until any write, including one racing a slow reader", async () => {
    const cache = newCache();
    const db = database();
    const a = { id: randomUUID(), rating: MaturityRating.G };
    const b = { id: randomUUID(), rating: MaturityRating.R };
    db.setCategory([a]);
    expect(await cache.category("drama", "popularity", db.loadCategory)).toEqual([a]);
    db.setCategory([a, b]);
    expect(await cache.category("drama", "popularity", db.loadCategory)).toEqual([a]);
    // Other sorts and genres are separate entries.
    expect(await cache.category("drama", "title", db.loadCategory)).toEqual([a, b]);

    const gate = paused();
    const slow = cache.category("drama", "newest", async () => {
      const rows = await db.loadCategory();
      await gate.pause();
      return rows;
    });
    await gate.reached;
    db.setCategory([b]);
    await cache.invalidate([randomUUID()]);
    gate.release();
    expect(await slow).toEqual([a, b]);
    expect(await cache.category("drama", "newest", db.loadCategory)).toEqual([b]);
    expect(await cache.category("drama", "popularity", db.loadCategory)).toEqual([b]);
  });

  // Only a shared store has replicas to keep in step: the in-process kv serves one replica.
  it.skipIf(skip || !shared)("invalidates across replicas sharing Redis", async () => {
    const replicaA = newCache();
    const replicaB = newCache();
    const db = database();
    const id = randomUUID();
    db.rows.set(id, title(id, "Before"));
    expect((await replicaA.titles([id], db.loadTitles)).get(id)?.title).toBe("Before");
    expect((await replicaB.titles([id], db.loadTitles)).get(id)?.title).toBe("Before");
    expect(db.reads).toBe(1);
    db.rows.set(id, title(id, "After"));
    await replicaB.invalidate([id]);
    expect((await replicaA.titles([id], db.loadTitles)).get(id)?.title).toBe("After");
  });

  it.skipIf(skip)("reads from the database when the cache is unreadable", async () => {
    const kv = open(namespace);
    await kv.close();
    const cache = new CatalogCache({ kv, ttlMs: 60_000 });
    const db = database();
    const id = randomUUID();
    db.rows.set(id, title(id, "Heat"));
    expect((await cache.titles([id], db.loadTitles)).get(id)?.title).toBe("Heat");
  });
});
