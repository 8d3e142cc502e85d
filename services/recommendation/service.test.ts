import { randomUUID } from "node:crypto";
import { create, toBinary, type DescMessage, type MessageShape } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { Code, createClient, type Client } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ProgressRecordedSchema, TitleCompletedSchema } from "../../gen/cinemesh/events/v1/library_events_pb.js";
import type { EventMeta } from "../../gen/cinemesh/events/v1/meta_pb.js";
import { RecommendationService } from "../../gen/cinemesh/recommendation/v1/recommendation_pb.js";
import { startService } from "../../platform/host/run-service.js";
import { createPool } from "../../platform/storage/postgres.js";
import { startTestMesh, type FakeProfile, type FakeVideo, type TestMesh } from "../../platform/testing/test-mesh.js";
import { recommendationService, SCHEMA } from "./service.js";
import { createPostgresWatchSignalStore } from "./store-postgres.js";
import type { WatchSignalStore } from "./store.js";

/** How long `vi.waitFor` waits for what happens asynchronously (events, expiry). */
const SETTLE = { timeout: 15_000, interval: 50 };

/**
 * The recommendation service on the engines the environment names (else embedded), fed the
 * library's watch events on the bus as the library would publish them; what it stored is read
 * back through its store, the way ranking will read it.
 */
describe("recommendation service: watch signals", () => {
  let mesh: TestMesh;
  let stop: () => Promise<void>;
  let recommendations: Client<typeof RecommendationService>;
  let pool: pg.Pool;
  let signals: WatchSignalStore;

  const start = async () => {
    const started = await startService(recommendationService, mesh.env);
    stop = started.stop;
    recommendations = createClient(RecommendationService, createGrpcTransport({ baseUrl: started.host.url }));
  };

  beforeAll(async () => {
    mesh = await startTestMesh("recommendation");
    await start();
    pool = createPool(mesh.env.DATABASE_URL!, { max: 2 });
    signals = createPostgresWatchSignalStore(pool, SCHEMA);
  });
  afterAll(async () => {
    await stop?.();
    await pool?.end();
    await mesh?.close();
  });

  const base = new Date("2031-03-04T20:00:00Z");
  const minute = (m: number) => new Date(base.getTime() + m * 60_000);
  const meta = (m: number): EventMeta => ({ ...mesh.events.meta(), producer: "library", occurredAt: timestampFromDate(minute(m)) });
  const progressed = (p: FakeProfile, v: FakeVideo, m: number, positionSeconds: number) =>
    create(ProgressRecordedSchema, { meta: meta(m), userId: p.userId, profileId: p.profileId, videoId: v.videoId, contentId: v.contentId, positionSeconds, durationSeconds: 3000, progress: positionSeconds / 3000 });
  const completed = (p: FakeProfile, v: FakeVideo, m: number) =>
    create(TitleCompletedSchema, { meta: meta(m), userId: p.userId, profileId: p.profileId, videoId: v.videoId, contentId: v.contentId });
  /** A new msgId makes the bus deliver the same event (same event id) again: a redelivery, as the consumer sees it. */
  const publish = <D extends DescMessage>(desc: D, event: MessageShape<D> & { meta?: EventMeta }, msgId = event.meta!.eventId) =>
    mesh.bus.publish(mesh.events.subjectOf(desc), toBinary(desc, event), { msgId });
  const signalOf = async (p: FakeProfile) => signals.signalsOf(p.profileId, 10);
  /** Each consumer handles its events in order: once a later event of another profile is stored, the earlier ones were handled. */
  const drained = async () => {
    const marker = mesh.addProfile(randomUUID());
    const v = mesh.addVideo();
    await publish(ProgressRecordedSchema, progressed(marker, v, 0, 1));
    await publish(TitleCompletedSchema, completed(marker, v, 0));
    await vi.waitFor(async () => expect(await signalOf(marker)).toEqual([expect.objectContaining({ completed: true, lastProgress: expect.anything() })]), SETTLE);
  };

  it("keeps the newest progress of a title even when an older one arrives after it", async () => {
    const p = mesh.addProfile(randomUUID());
    const v = mesh.addVideo();
    await publish(ProgressRecordedSchema, progressed(p, v, 20, 1500));
    await vi.waitFor(async () => expect(await signalOf(p)).toHaveLength(1), SETTLE);
    const older = progressed(p, v, 10, 600);
    await publish(ProgressRecordedSchema, older);
    await publish(ProgressRecordedSchema, older, `${older.meta!.eventId}:again`);
    await drained();

    expect(await signalOf(p)).toEqual([
      {
        profileId: p.profileId,
        contentId: v.contentId,
        lastWatchedAt: minute(20),
        lastProgress: { videoId: v.videoId, positionSeconds: 1500, durationSeconds: 3000, progress: 0.5, at: minute(20) },
        completed: false,
        lastCompletion: undefined,
      },
    ]);
  });

  it("marks a title completed once watched to the end, keeps it across a restart, and sees a later restart of the video", async () => {
    const p = mesh.addProfile(randomUUID());
    const [v, other] = [mesh.addVideo(), mesh.addVideo()];
    const done = completed(p, v, 30);
    await publish(TitleCompletedSchema, done);
    await publish(TitleCompletedSchema, done, `${done.meta!.eventId}:again`);
    // Played to the end of the credits before the completion was announced; this arrives late.
    await publish(ProgressRecordedSchema, progressed(p, v, 29, 2990));
    await publish(ProgressRecordedSchema, progressed(p, other, 5, 60));
    await drained();
    expect(await signalOf(p)).toEqual([
      expect.objectContaining({ contentId: v.contentId, lastWatchedAt: minute(30), completed: true, lastCompletion: { videoId: v.videoId, at: minute(30) }, lastProgress: expect.objectContaining({ positionSeconds: 2990 }) }),
      expect.objectContaining({ contentId: other.contentId, lastWatchedAt: minute(5), completed: false }),
    ]);

    // The consumers resume where they left off; the profile starts the video again.
    await stop();
    await start();
    await publish(ProgressRecordedSchema, progressed(p, v, 45, 120));
    await drained();
    const [again] = await signalOf(p);
    expect(again).toMatchObject({ contentId: v.contentId, lastWatchedAt: minute(45), completed: true, lastCompletion: { at: minute(30) }, lastProgress: { positionSeconds: 120, at: minute(45) } });
  });

  it("still answers UNIMPLEMENTED: ranking is not built yet", async () => {
    const p = mesh.addProfile(randomUUID());
    const call = { headers: await mesh.headers(p.userId, p.profileId) };
    await expect(recommendations.getRecommendations({ profileId: p.profileId }, call)).rejects.toMatchObject({ code: Code.Unimplemented });
    await expect(recommendations.getTrending({}, call)).rejects.toMatchObject({ code: Code.Unimplemented });
    await expect(recommendations.getBecauseYouWatched({ profileId: p.profileId }, call)).rejects.toMatchObject({ code: Code.Unimplemented });
  });
});
