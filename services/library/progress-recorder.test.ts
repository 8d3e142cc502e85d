import { randomBytes, randomUUID } from "node:crypto";
import { fromBinary } from "@bufbuild/protobuf";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ProgressRecordedSchema, TitleCompletedSchema } from "../../gen/cinemesh/events/v1/library_events_pb.js";
import { DomainEvents } from "../../platform/events/domain-events.js";
import { createOutboxTable } from "../../platform/events/outbox.js";
import type { Kv } from "../../platform/storage/kv.js";
import { createMemoryKv } from "../../platform/storage/kv-memory.js";
import { createRedisKv } from "../../platform/storage/kv-redis.js";
import { silentLog } from "../../platform/storage/log.js";
import { createPool } from "../../platform/storage/postgres.js";
import { openTestDatabase, type TestDatabase } from "../../platform/storage/testing/test-database.js";
import { createPostgresWideColumn } from "../../platform/storage/widecolumn-postgres.js";
import { outboxProgressAnnouncer } from "./progress-announcer.js";
import { startProgressFlusher } from "./progress-flusher.js";
import { ProgressRecorder, type ProgressReport } from "./progress-recorder.js";
import { ProgressState } from "./progress-state.js";
import type { WatchStore } from "./watch-store.js";
import { createWideColumnWatchStore } from "./watch-store-widecolumn.js";

/**
 * What happens when the wide-column write fails after its events went to the outbox: the pending
 * mark stays, and the flusher finishes the write from the latest report without announcing twice.
 * Real Postgres (outbox, wide-column tables) and kv (Redis at REDIS_URL, else in-process); the
 * failure is injected in front of the real store; the flusher's clock is a test clock.
 */
describe("progress recorder: a failed write is finished by the flusher", () => {
  const schema = `lib_${randomBytes(4).toString("hex")}`;
  const kvPrefix = `test-${randomBytes(4).toString("hex")}:`;
  let db: TestDatabase;
  let pool: pg.Pool;
  let kv: Kv;
  let store: WatchStore;
  /** Saves left to fail. */
  let failures = 0;
  let clock = Date.now();

  beforeAll(async () => {
    db = await openTestDatabase(process.env.DATABASE_URL ? "DATABASE_URL" : "embedded");
    pool = createPool(db.url, { max: 4 });
    await createOutboxTable(pool, schema);
    kv = process.env.REDIS_URL ? createRedisKv({ url: process.env.REDIS_URL, namespace: "cinemesh:library:" }) : createMemoryKv();
    const real = await createWideColumnWatchStore(createPostgresWideColumn({ pool, schema }));
    store = {
      ...real,
      history: (profileId) => real.history(profileId),
      async save(progress, previous) {
        if (failures > 0) {
          failures--;
          throw new Error("wide-column store unavailable");
        }
        return real.save(progress, previous);
      },
    };
  }, 120_000);
  afterAll(async () => {
    await kv?.delByPrefix(kvPrefix);
    await kv?.close();
    await pool?.end();
    await db?.drop();
  });

  const setup = (windowMs: number) => {
    const state = new ProgressState(kv, kvPrefix, windowMs);
    const events = new DomainEvents("t", "library", () => Promise.reject(new Error("no bus in this test")));
    const now = () => clock;
    const recorder = new ProgressRecorder({ state, store, announce: outboxProgressAnnouncer(pool, schema, events), windowMs, now });
    const flusher = startProgressFlusher({ state, recorder, intervalMs: 3_600_000, windowMs, log: silentLog, now });
    return { recorder, flusher };
  };
  const reportOf = (profileId: string, videoId: string, positionSeconds: number): ProgressReport => ({
    userId: randomUUID(),
    profileId,
    videoId,
    contentId: randomUUID(),
    positionSeconds,
    durationSeconds: 1000,
    episodeTitle: "",
  });
  /** The outbox's events about one video, in commit order: `recorded:<position>` or `completed`. */
  const announced = async (videoId: string) => {
    const { rows } = await pool.query<{ subject: string; payload: Buffer }>(`SELECT subject, payload FROM "${schema}".outbox ORDER BY id`);
    return rows.flatMap((r) => {
      if (r.subject.endsWith(".progress_recorded")) {
        const e = fromBinary(ProgressRecordedSchema, r.payload);
        return e.videoId === videoId ? [`recorded:${e.positionSeconds}`] : [];
      }
      return fromBinary(TitleCompletedSchema, r.payload).videoId === videoId ? ["completed"] : [];
    });
  };

  it("retries the write when its window closes, and the retry adds no second event", async () => {
    const { recorder, flusher } = setup(1);
    const [p, v] = [randomUUID(), randomUUID()];
    failures = 1;
    await expect(recorder.report(reportOf(p, v, 120))).rejects.toThrow(/unavailable/);
    expect(await store.progress(p, v)).toBeNull();
    expect(await recorder.current(p, v)).toMatchObject({ positionSeconds: 120 });

    clock += 5_000;
    await flusher.flushDue();
    expect(await store.progress(p, v)).toMatchObject({ positionSeconds: 120, completed: false });
    expect(await announced(v)).toEqual(["recorded:120"]);
    await flusher.stop();
  });

  it("writes the latest report, not the failed one, and keeps every event once", async () => {
    const { recorder, flusher } = setup(60_000);
    const [p, v] = [randomUUID(), randomUUID()];
    failures = 1;
    await expect(recorder.report(reportOf(p, v, 100))).rejects.toThrow(/unavailable/);
    await recorder.report(reportOf(p, v, 200));
    await recorder.report(reportOf(p, v, 950));
    expect(await store.progress(p, v)).toMatchObject({ positionSeconds: 950, completed: true });
    await recorder.report(reportOf(p, v, 990));
    await flusher.stop();

    expect(await store.progress(p, v)).toMatchObject({ positionSeconds: 990, completed: true });
    const history: string[] = [];
    for await (const h of store.history(p)) history.push(`${h.videoId}:${h.positionSeconds}`);
    expect(history).toEqual([`${v}:990`]);
    // 100's event stays although 200 superseded it before the retry: it was a position reported.
    expect(await announced(v)).toEqual(["recorded:100", "recorded:950", "completed", "recorded:990"]);
  });
});
