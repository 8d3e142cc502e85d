import { randomBytes, randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DomainEvents } from "../../platform/events/domain-events.js";
import { createOutboxTable } from "../../platform/events/outbox.js";
import type { Kv } from "../../platform/storage/kv.js";
import { migrate } from "../../platform/storage/migrate.js";
import { createPool } from "../../platform/storage/postgres.js";
import { openKv } from "../../platform/storage/select.js";
import { openTestDatabase, type TestDatabase } from "../../platform/storage/testing/test-database.js";
import { flushCounters, type FlushDeps } from "./flusher.js";
import { recordHeartbeat, type HeartbeatDeps } from "./heartbeat.js";
import { HOUR_MS } from "./hours.js";
import { LiveCounters } from "./live-counters.js";
import { createPostgresAnalyticsStore } from "./store-postgres.js";
import type { AnalyticsStore } from "./store.js";

const SCHEMA = "analytics";

/**
 * The flusher on the engines the environment names (Postgres at DATABASE_URL, Redis at REDIS_URL),
 * else embedded: two replicas share one kv and one database, as in production.
 */
describe("view counter flusher", () => {
  let db: TestDatabase;
  const pools: pg.Pool[] = [];
  let kv: Kv;
  const namespace = `t${randomBytes(5).toString("hex")}:`;
  let clock = new Date("2031-05-06T08:20:00Z");
  const now = () => clock;
  let replicas: Array<{ store: AnalyticsStore; heartbeat: HeartbeatDeps; flush: FlushDeps }>;

  beforeAll(async () => {
    db = await openTestDatabase(process.env.DATABASE_URL ? "DATABASE_URL" : "embedded");
    await migrate({ connection: db.url, schema: SCHEMA, dir: fileURLToPath(new URL("./migrations/", import.meta.url)) });
    kv = await openKv({ REDIS_URL: process.env.REDIS_URL }, { service: "analytics-test" });
    const events = new DomainEvents("t", "analytics", () => Promise.reject(new Error("events are only enqueued here")));
    replicas = [];
    for (let i = 0; i < 2; i++) {
      const pool = createPool(db.url, { max: 4 });
      pools.push(pool);
      await createOutboxTable(pool, SCHEMA);
      const store = createPostgresAnalyticsStore(pool, SCHEMA, events);
      const counters = new LiveCounters(kv, namespace);
      replicas.push({
        store,
        heartbeat: { kv, namespace, counters, store, thresholdSeconds: 30, now },
        flush: { store, counters, graceMs: 5 * 60_000, now },
      });
    }
  });
  afterAll(async () => {
    await kv?.delByPrefix(namespace);
    await kv?.close();
    for (const p of pools) await p.end();
    await db?.drop();
  });

  const beat = (replica: number, videoId: string, profileId: string, playedSeconds: number) =>
    recordHeartbeat(replicas[replica].heartbeat, { userId: randomUUID(), profileId, videoId, contentId: CONTENT, sessionId: randomUUID(), playedSeconds });
  const totals = (videoId: string) => replicas[0].store.videoTotals(videoId, { from: new Date(clock.getTime() - 24 * HOUR_MS), to: new Date(clock.getTime() + HOUR_MS) });
  const CONTENT = randomUUID();

  it("never double-counts when two replicas flush at once, over and over, while heartbeats keep coming", async () => {
    const videos = [randomUUID(), randomUUID()];
    const profiles = Array.from({ length: 12 }, () => randomUUID());
    let flushing = true;
    const flushLoop = async (replica: number) => {
      while (flushing) await flushCounters(replicas[replica].flush);
    };
    const loops = [flushLoop(0), flushLoop(1)];
    let counted = 0;
    for (const [i, profileId] of profiles.entries()) {
      for (const videoId of videos) {
        for (let b = 0; b < 3; b++) if ((await beat((i + b) % 2, videoId, profileId, 15)).viewCounted) counted++;
      }
    }
    flushing = false;
    await Promise.all(loops);
    // Flushes that started before the last heartbeat may have missed it; two more that start after, racing.
    await Promise.all([flushCounters(replicas[0].flush), flushCounters(replicas[1].flush)]);

    // Each profile played 45 s of each video: one view each, 45 s of watch time each.
    expect(counted).toBe(profiles.length * videos.length);
    for (const videoId of videos) expect(await totals(videoId)).toEqual({ views: profiles.length, uniqueViewers: profiles.length, watchSeconds: 45 * profiles.length, completions: 0 });
  });

  it("loses nothing when a flush dies half-way, and a stale flush cannot lower what a fresher one wrote", async () => {
    const videoId = randomUUID();
    for (let i = 0; i < 4; i++) await beat(0, videoId, randomUUID(), 30);
    const dying: FlushDeps = { ...replicas[0].flush, store: { ...replicas[0].store, applyCounts: () => Promise.reject(new Error("killed mid-flush")) } };
    await expect(flushCounters(dying, videoId)).rejects.toThrow("killed mid-flush");
    expect(await totals(videoId)).toMatchObject({ views: 0, watchSeconds: 0 });

    await flushCounters(replicas[1].flush, videoId);
    expect(await totals(videoId)).toEqual({ views: 4, uniqueViewers: 4, watchSeconds: 120, completions: 0 });

    // A replica that read the counters before the last two views and writes only now.
    const [bucket] = await replicas[0].store.openBuckets(videoId);
    await replicas[0].store.applyCounts([{ bucket, counts: { views: 2, watchSeconds: 60 } }], new Date(0));
    expect(await totals(videoId)).toEqual({ views: 4, uniqueViewers: 4, watchSeconds: 120, completions: 0 });
  });

  it("finalises an hour on the first flush after its end plus the grace, and then stops re-reading it", async () => {
    const videoId = randomUUID();
    await beat(0, videoId, randomUUID(), 40);
    const hourEnd = Math.ceil(clock.getTime() / HOUR_MS) * HOUR_MS;

    clock = new Date(hourEnd + 60_000);
    await flushCounters(replicas[0].flush, videoId);
    expect(await replicas[0].store.openBuckets(videoId)).toHaveLength(1);

    clock = new Date(hourEnd + 5 * 60_000);
    await flushCounters(replicas[1].flush, videoId);
    expect(await replicas[0].store.openBuckets(videoId)).toEqual([]);
    expect(await totals(videoId)).toEqual({ views: 1, uniqueViewers: 1, watchSeconds: 40, completions: 0 });
  });
});
