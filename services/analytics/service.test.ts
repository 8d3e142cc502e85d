import { randomBytes, randomUUID } from "node:crypto";
import { create, toBinary } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { Code, createClient, type Client } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { AnalyticsService, type RecordQoeEventRequest } from "../../gen/cinemesh/analytics/v1/analytics_pb.js";
import { MaturityRating } from "../../gen/cinemesh/common/v1/enums_pb.js";
import { ViewCountedSchema, type ViewCounted } from "../../gen/cinemesh/events/v1/analytics_events_pb.js";
import { TitleCompletedSchema, type TitleCompleted } from "../../gen/cinemesh/events/v1/library_events_pb.js";
import type { Consumer } from "../../platform/events/bus.js";
import { startService } from "../../platform/host/run-service.js";
import { createRedisKv } from "../../platform/storage/kv-redis.js";
import { startTestMesh, type FakeProfile, type FakeVideo, type TestMesh } from "../../platform/testing/test-mesh.js";
import { HOUR_MS } from "./hours.js";
import { createAnalyticsService } from "./service.js";

/** How long `vi.waitFor` waits for what happens asynchronously (events, trailing writes). */
const SETTLE = { timeout: 15_000, interval: 50 };

/**
 * The analytics service over real gRPC, on the engines the environment names (else embedded), with
 * tiny identity and catalog hosts in front of it and a clock the tests move.
 */
describe("analytics service", () => {
  let mesh: TestMesh;
  let env: Record<string, string | undefined>;
  let stop: () => Promise<void>;
  let analytics: Client<typeof AnalyticsService>;
  let consumer: Consumer;
  const counted: ViewCounted[] = [];
  // A quarter past an hour, far from today, so hour boundaries are where the tests put them.
  let clock = new Date("2031-03-04T10:15:00Z");
  const service = createAnalyticsService({ now: () => clock });

  const start = async () => {
    const started = await startService(service, env);
    stop = started.stop;
    analytics = createClient(AnalyticsService, createGrpcTransport({ baseUrl: started.host.url }));
  };

  beforeAll(async () => {
    mesh = await startTestMesh("analytics");
    env = { ...mesh.env, ANALYTICS_KV_NAMESPACE: `t${randomBytes(5).toString("hex")}:`, ANALYTICS_FLUSH_INTERVAL_MS: "200" };
    await start();
    consumer = await mesh.events.subscribe("test-view-counted", ViewCountedSchema, async (e) => void counted.push(e));
  });
  afterAll(async () => {
    await consumer?.stop();
    await stop?.();
    if (process.env.REDIS_URL && env?.ANALYTICS_KV_NAMESPACE) {
      const kv = createRedisKv({ url: process.env.REDIS_URL, namespace: "cinemesh:analytics:" });
      await kv.delByPrefix(env.ANALYTICS_KV_NAMESPACE);
      await kv.close();
    }
    await mesh?.close();
  });

  const viewer = async (p: FakeProfile) => ({ headers: await mesh.headers(p.userId, p.profileId) });
  const admin = async () => ({ headers: await mesh.adminHeaders() });
  const beat = async (p: FakeProfile, v: FakeVideo, playedSeconds: number, sessionId = randomUUID(), call?: { headers: Record<string, string> }) =>
    (await analytics.recordHeartbeat({ videoId: v.videoId, sessionId, positionSeconds: 0, playedSeconds }, call ?? (await viewer(p)))).viewCounted;
  const statsOf = async (v: FakeVideo) => analytics.getVideoStats({ videoId: v.videoId }, await admin());

  it("counts a view once the profile has played the threshold (30 s), and only once per profile, video and hour", async () => {
    const v = mesh.addVideo();
    const p = mesh.addProfile(randomUUID());
    const session = randomUUID();
    const call = await viewer(p);
    expect([await beat(p, v, 10, session, call), await beat(p, v, 0, session, call), await beat(p, v, 10, session, call)]).toEqual([false, false, false]);
    expect(await statsOf(v)).toMatchObject({ views: 0n, uniqueViewers: 0n, watchTimeSeconds: 20n });
    expect(await beat(p, v, 10, session, call)).toBe(true);
    expect(await statsOf(v)).toMatchObject({ views: 1n, uniqueViewers: 1n, watchTimeSeconds: 30n });

    // Still the same hour: more playing, even a new session, does not count again.
    expect([await beat(p, v, 30, session, call), await beat(p, v, 30, randomUUID(), call)]).toEqual([false, false]);
    expect(await statsOf(v)).toMatchObject({ views: 1n, watchTimeSeconds: 90n });

    // The next hour: it has played well over 30 s since its view, so its next heartbeat counts.
    clock = new Date(clock.getTime() + HOUR_MS);
    expect(await beat(p, v, 5, session, call)).toBe(true);
    expect(await beat(p, v, 60, session, call)).toBe(false);
    expect(await statsOf(v)).toMatchObject({ views: 2n, uniqueViewers: 1n, watchTimeSeconds: 155n });

    await vi.waitFor(() => expect(counted.filter((e) => e.videoId === v.videoId)).toHaveLength(2), SETTLE);
    expect(counted.filter((e) => e.videoId === v.videoId)[0]).toMatchObject({ sessionId: session, contentId: v.contentId, profileId: p.profileId, userId: p.userId });
  });

  it("counts two profiles of one account as two views and two unique viewers", async () => {
    const v = mesh.addVideo();
    const user = randomUUID();
    const [a, b] = [mesh.addProfile(user), mesh.addProfile(user)];
    expect(await beat(a, v, 45)).toBe(true);
    expect(await beat(b, v, 20)).toBe(false);
    expect(await beat(b, v, 20)).toBe(true);
    expect(await statsOf(v)).toMatchObject({ views: 2n, uniqueViewers: 2n, watchTimeSeconds: 85n });
  });

  it("never counts a profile twice however many of its heartbeats race", async () => {
    const v = mesh.addVideo();
    const p = mesh.addProfile(randomUUID());
    const call = await viewer(p);
    const results = await Promise.all(Array.from({ length: 20 }, () => beat(p, v, 30, randomUUID(), call)));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await statsOf(v)).toMatchObject({ views: 1n, uniqueViewers: 1n, watchTimeSeconds: 600n });
  });

  it("keeps flushed counts across a restart, ranks titles by views in GetTopContent, and bounds stats by the range", async () => {
    const hot = mesh.addTitle();
    const [ep1, ep2] = [mesh.addVideo(hot), mesh.addVideo(hot)];
    const cold = mesh.addVideo();
    const viewers = Array.from({ length: 3 }, () => mesh.addProfile(randomUUID()));
    for (const p of viewers) {
      await beat(p, ep1, 30);
      await beat(p, ep2, 30);
    }
    await beat(viewers[0], cold, 40);
    const countedAt = clock;

    // The periodic flusher (every 200 ms here) copies the counters into the hourly aggregates.
    const range = { from: timestampFromDate(new Date(countedAt.getTime() - HOUR_MS)), to: timestampFromDate(new Date(countedAt.getTime() + HOUR_MS)) };
    const ranked = async () => (await analytics.getTopContent({ ...range, limit: 100 }, await admin())).items.filter((i) => [hot.contentId, cold.contentId].includes(i.contentId));
    await vi.waitFor(async () => expect((await ranked()).map((i) => [i.contentId, i.views])).toEqual([[hot.contentId, 6n], [cold.contentId, 1n]]), SETTLE);
    expect((await ranked())[0]).toMatchObject({ uniqueViewers: 3n, watchTimeSeconds: 180n });

    // Embedded kv lives in the process: after a restart only what was flushed to Postgres remains.
    await stop();
    await start();
    expect(await statsOf(ep1)).toMatchObject({ views: 3n, uniqueViewers: 3n, watchTimeSeconds: 90n });
    expect((await ranked()).map((i) => [i.contentId, i.views, i.uniqueViewers])).toEqual([[hot.contentId, 6n, 3n], [cold.contentId, 1n, 1n]]);

    // A range ending before the hour of the views holds none of them.
    const before = { from: timestampFromDate(new Date(countedAt.getTime() - 3 * HOUR_MS)), to: timestampFromDate(new Date(countedAt.getTime() - HOUR_MS)) };
    expect(await analytics.getVideoStats({ videoId: ep1.videoId, ...before }, await admin())).toMatchObject({ views: 0n, uniqueViewers: 0n, watchTimeSeconds: 0n });
    // The service (recommendation's trending) may read the ranking too; limit 1 keeps the top.
    const top = await analytics.getTopContent({ ...range, limit: 1 }, await admin());
    expect(top.items).toHaveLength(1);
    expect(top.items[0].rank).toBe(1);
  });

  it("counts each completion the library reports once, in the hour it happened, even when its event is delivered twice", async () => {
    const v = mesh.addVideo();
    const marker = mesh.addVideo();
    const [a, b] = [mesh.addProfile(randomUUID()), mesh.addProfile(randomUUID())];
    const completed = (p: FakeProfile, video: FakeVideo, at: Date) =>
      create(TitleCompletedSchema, { meta: { ...mesh.events.meta(), occurredAt: timestampFromDate(at) }, userId: p.userId, profileId: p.profileId, videoId: video.videoId, contentId: video.contentId });
    // The bus itself drops a second publish with the same msgId; a new msgId makes it deliver the
    // same event (same event id) again, which is what a redelivery looks like to the consumer.
    const publish = (e: TitleCompleted, msgId = e.meta!.eventId) => mesh.bus.publish(mesh.events.subjectOf(TitleCompletedSchema), toBinary(TitleCompletedSchema, e), { msgId });

    const now = completed(a, v, new Date(clock.getTime() - 60_000));
    const earlier = completed(b, v, new Date(clock.getTime() - 3 * HOUR_MS));
    await publish(now);
    await publish(now, `${now.meta!.eventId}:again`);
    await publish(earlier);
    await publish(earlier, `${earlier.meta!.eventId}:again`);
    // One consumer handles these in order: once the marker's completion shows, the repeats were handled.
    await publish(completed(a, marker, clock));
    await vi.waitFor(async () => expect((await statsOf(marker)).completions).toBe(1n), SETTLE);

    // Completions are not views and add no watch time (heartbeats count those).
    expect(await statsOf(v)).toMatchObject({ completions: 2n, views: 0n, watchTimeSeconds: 0n });
    // Counted in the hour each happened (meta.occurred_at), not the hour it arrived.
    const around = (at: Date) => ({ from: timestampFromDate(new Date(at.getTime() - HOUR_MS)), to: timestampFromDate(new Date(at.getTime() - HOUR_MS / 2)) });
    const inEarlierHour = await analytics.getVideoStats({ videoId: v.videoId, ...around(new Date(clock.getTime() - 2 * HOUR_MS)) }, await admin());
    expect(inEarlierHour.completions).toBe(1n);

    // Still counted once after a restart, when the consumer resumes where it left off.
    await stop();
    await start();
    await publish(completed(b, marker, clock));
    await vi.waitFor(async () => expect((await statsOf(marker)).completions).toBe(2n), SETTLE);
    expect((await statsOf(v)).completions).toBe(2n);
  });

  it("summarises QoE reports per video: median and p95 startup, rebuffer ratio, bitrate, switches per hour, error rate", async () => {
    const v = mesh.addVideo();
    const p = mesh.addProfile(randomUUID());
    const call = await viewer(p);
    const [s1, s2, s3, s4] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    const report = (sessionId: string, r: QoeFields) => analytics.recordQoeEvent({ videoId: v.videoId, sessionId, deviceType: "web", player: "hls.js 1.5.7", ...r }, call);
    await report(s1, { startupTimeMs: 1000, playedDurationMs: 60_000, averageBitrate: 3_000_000, bitrateSwitches: 2 });
    await report(s1, { startupTimeMs: 0, playedDurationMs: 60_000, rebufferCount: 1, rebufferDurationMs: 2000, averageBitrate: 5_000_000, final: true });
    await report(s2, { startupTimeMs: 2000, playedDurationMs: 120_000, rebufferCount: 2, rebufferDurationMs: 4000, averageBitrate: 4_000_000, bitrateSwitches: 2, errors: [{ code: "fragLoadError", message: "retrying", fatal: false, positionSeconds: 40 }] });
    await report(s3, { startupTimeMs: 3000, playedDurationMs: 60_000, averageBitrate: 2_000_000, bitrateSwitches: 4, errors: [{ code: "MEDIA_ERR_DECODE", fatal: true, positionSeconds: 60 }], final: true });
    await report(s4, { startupTimeMs: 4000, playedDurationMs: 60_000, averageBitrate: 6_000_000 });

    // A moment later (the range ends, exclusive, at the time of the read).
    clock = new Date(clock.getTime() + 1000);
    const stats = await statsOf(v);
    expect(stats).toMatchObject({ medianStartupTimeMs: 2500, p95StartupTimeMs: 3850, averageBitrate: 4_000_000, errorRate: 0.25 });
    // 6 s stalled in 360 s played; 8 switches in 0.1 h.
    expect(stats.rebufferRatio).toBeCloseTo(6 / 360, 10);
    expect(stats.bitrateSwitchesPerHour).toBeCloseTo(80, 10);

    // A session is its first caller's, for one video, and closed by its final report.
    await expect(report(s1, { playedDurationMs: 1000, rebufferDurationMs: 1000 })).rejects.toMatchObject({ code: Code.FailedPrecondition });
    const stranger = mesh.addProfile(randomUUID());
    await expect(analytics.recordQoeEvent({ videoId: v.videoId, sessionId: s2, playedDurationMs: 1000 }, await viewer(stranger))).rejects.toMatchObject({ code: Code.NotFound });
    await expect(analytics.recordQoeEvent({ videoId: mesh.addVideo().videoId, sessionId: s2 }, call)).rejects.toMatchObject({ code: Code.InvalidArgument });
    expect(await statsOf(v)).toMatchObject({ medianStartupTimeMs: 2500, errorRate: 0.25 });
    expect((await statsOf(v)).rebufferRatio).toBeCloseTo(6 / 360, 10);
  });

  it("asks identity about a viewer's profile once per login session, not on every heartbeat", async () => {
    const v = mesh.addVideo();
    const p = mesh.addProfile(randomUUID());
    const call = await viewer(p);
    await beat(p, v, 1, undefined, call);
    let lookups = 0;
    const get = mesh.profiles.get.bind(mesh.profiles);
    mesh.profiles.get = (id) => (id === p.profileId && lookups++, get(id));
    try {
      for (let i = 0; i < 10; i++) await beat(p, v, 1, undefined, call);
    } finally {
      mesh.profiles.get = get;
    }
    expect(lookups).toBe(0);
  });

  it("refuses a kids profile's reports on a title above its cap, even after an adult profile of the account reported on it", async () => {
    const user = randomUUID();
    const [adult, kids] = [mesh.addProfile(user), mesh.addProfile(user, MaturityRating.TV_Y7)];
    const v = mesh.addVideo(mesh.addTitle(MaturityRating.R));
    await beat(adult, v, 10);
    await expect(beat(kids, v, 10)).rejects.toMatchObject({ code: Code.NotFound });
    await expect(analytics.recordQoeEvent({ videoId: v.videoId, sessionId: randomUUID(), startupTimeMs: 900 }, await viewer(kids))).rejects.toMatchObject({ code: Code.NotFound });
  });

  it("refuses bad input with a precise code and counts nothing", async () => {
    const v = mesh.addVideo();
    const adult = mesh.addVideo(mesh.addTitle(MaturityRating.R));
    const user = randomUUID();
    const p = mesh.addProfile(user);
    const kids = mesh.addProfile(user, MaturityRating.TV_Y7);
    const theirs = mesh.addProfile(randomUUID());
    const call = await viewer(p);
    const hb = { videoId: v.videoId, sessionId: randomUUID(), positionSeconds: 10, playedSeconds: 30 };

    await expect(analytics.recordHeartbeat({ ...hb, videoId: randomUUID() }, call)).rejects.toMatchObject({ code: Code.NotFound, message: expect.stringContaining("video") });
    await expect(analytics.recordHeartbeat({ ...hb, videoId: adult.videoId }, await viewer(kids))).rejects.toMatchObject({ code: Code.NotFound });
    await expect(analytics.recordHeartbeat(hb, { headers: await mesh.headers(user, theirs.profileId) })).rejects.toMatchObject({ code: Code.NotFound, message: expect.stringContaining("profile") });
    await expect(analytics.recordHeartbeat(hb, { headers: await mesh.headers(user, randomUUID()) })).rejects.toMatchObject({ code: Code.NotFound });
    await expect(analytics.recordHeartbeat(hb, { headers: await mesh.headers(user) })).rejects.toMatchObject({ code: Code.InvalidArgument, message: expect.stringContaining("Profile-Id") });
    await expect(analytics.recordHeartbeat({ ...hb, playedSeconds: 601 }, call)).rejects.toMatchObject({ code: Code.InvalidArgument, message: expect.stringContaining("played_seconds") });
    await expect(analytics.recordHeartbeat({ ...hb, playedSeconds: -1 }, call)).rejects.toMatchObject({ code: Code.InvalidArgument });
    await expect(analytics.recordHeartbeat({ ...hb, sessionId: "s1" }, call)).rejects.toMatchObject({ code: Code.InvalidArgument, message: expect.stringContaining("session_id") });
    await expect(analytics.recordHeartbeat(hb, { headers: { "profile-id": p.profileId } })).rejects.toMatchObject({ code: Code.Unauthenticated });
    await expect(analytics.recordQoeEvent({ videoId: v.videoId, sessionId: randomUUID(), rebufferDurationMs: -5 }, call)).rejects.toMatchObject({ code: Code.InvalidArgument });
    await expect(analytics.recordQoeEvent({ videoId: v.videoId, sessionId: randomUUID(), startupTimeMs: 600_001 }, call)).rejects.toMatchObject({ code: Code.InvalidArgument });
    await expect(analytics.recordQoeEvent({ videoId: v.videoId, sessionId: randomUUID(), errors: [{ code: "", fatal: true }] }, call)).rejects.toMatchObject({ code: Code.InvalidArgument });
    await expect(analytics.recordQoeEvent({ videoId: randomUUID(), sessionId: randomUUID() }, call)).rejects.toMatchObject({ code: Code.NotFound });

    // Admin reads: members are refused, ranges must be ranges, unknown videos are unknown.
    await expect(analytics.getVideoStats({ videoId: v.videoId }, call)).rejects.toMatchObject({ code: Code.PermissionDenied });
    await expect(analytics.getTopContent({}, call)).rejects.toMatchObject({ code: Code.PermissionDenied });
    await expect(analytics.getTopContent({})).rejects.toMatchObject({ code: Code.Unauthenticated });
    await expect(analytics.getTopContent({ limit: 101 }, await admin())).rejects.toMatchObject({ code: Code.InvalidArgument });
    const t = timestampFromDate(clock);
    await expect(analytics.getVideoStats({ videoId: v.videoId, from: t, to: t }, await admin())).rejects.toMatchObject({ code: Code.InvalidArgument, message: expect.stringContaining("from") });
    await expect(analytics.getVideoStats({ videoId: randomUUID() }, await admin())).rejects.toMatchObject({ code: Code.NotFound });

    expect(await statsOf(v)).toMatchObject({ views: 0n, uniqueViewers: 0n, watchTimeSeconds: 0n, errorRate: 0 });
    expect(await statsOf(adult)).toMatchObject({ views: 0n, watchTimeSeconds: 0n });
  });
});

type QoeFields = Partial<Omit<RecordQoeEventRequest, "$typeName" | "$unknown" | "videoId" | "sessionId" | "errors">> & {
  errors?: Array<{ code: string; message?: string; fatal: boolean; positionSeconds: number }>;
};
