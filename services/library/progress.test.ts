import { randomUUID } from "node:crypto";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, createClient, type Client } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { MaturityRating } from "../../gen/cinemesh/common/v1/enums_pb.js";
import { ProgressRecordedSchema, TitleCompletedSchema, type ProgressRecorded } from "../../gen/cinemesh/events/v1/library_events_pb.js";
import { LibraryService } from "../../gen/cinemesh/library/v1/library_pb.js";
import type { Consumer } from "../../platform/events/bus.js";
import { startService } from "../../platform/host/run-service.js";
import { PROFILE_ID_HEADER } from "../../platform/rpc/context.js";
import { createRedisKv } from "../../platform/storage/kv-redis.js";
import { startTestMesh, type FakeProfile, type FakeTitle, type FakeVideo, type TestMesh } from "../../platform/testing/test-mesh.js";
import { libraryService } from "./service.js";

/** How long `vi.waitFor` waits for what happens asynchronously (events, trailing writes). */
const SETTLE = { timeout: 15_000, interval: 50 };

type Library = Client<typeof LibraryService>;

/**
 * Watch progress, resume positions, history and continue watching over real gRPC, on the engines
 * the environment names (else embedded). Several library replicas share one database and outbox,
 * each with its own kv namespace and debounce settings:
 *
 * - `held`: a one-hour window, so every report after the first is held back for the whole test;
 * - `quick`: a 200 ms window flushed every 20 ms, so trailing writes land while a test waits;
 * - `stored`: never reported to, so its kv is empty and it answers from the wide-column store
 *   alone: what it says is what was persisted.
 */
describe("library service: watch progress, history and continue watching", () => {
  let mesh: TestMesh;
  const stops: Array<() => Promise<void>> = [];
  const kvNamespaces: string[] = [];
  let held: Library;
  let quick: Library;
  let stored: Library;
  const consumers: Consumer[] = [];
  const recorded: ProgressRecorded[] = [];
  /** `<profile>:<video>` of each TitleCompleted, in arrival order. */
  const completions: string[] = [];

  const startLibrary = async (name: string, settings: Record<string, string>) => {
    const namespace = `${mesh.env.BUS_NAMESPACE}-${name}`;
    kvNamespaces.push(namespace);
    const started = await startService(libraryService, { ...mesh.env, ...settings, LIBRARY_KV_NAMESPACE: namespace });
    let stopping: Promise<void> | undefined;
    const stop = () => (stopping ??= started.stop());
    stops.push(stop);
    return { client: createClient(LibraryService, createGrpcTransport({ baseUrl: started.host.url })), stop };
  };

  beforeAll(async () => {
    mesh = await startTestMesh("library");
    held = (await startLibrary("held", { LIBRARY_PROGRESS_WINDOW_MS: "3600000", LIBRARY_PROGRESS_FLUSH_INTERVAL_MS: "50" })).client;
    quick = (await startLibrary("quick", { LIBRARY_PROGRESS_WINDOW_MS: "200", LIBRARY_PROGRESS_FLUSH_INTERVAL_MS: "20" })).client;
    stored = (await startLibrary("stored", {})).client;
    consumers.push(
      await mesh.events.subscribe("test-progress", ProgressRecordedSchema, async (e) => void recorded.push(e)),
      await mesh.events.subscribe("test-completed", TitleCompletedSchema, async (e) => void completions.push(`${e.profileId}:${e.videoId}`)),
    );
  }, 60_000);
  afterAll(async () => {
    for (const c of consumers) await c.stop();
    for (const stop of stops.reverse()) await stop();
    if (process.env.REDIS_URL) {
      const kv = createRedisKv({ url: process.env.REDIS_URL, namespace: "cinemesh:library:" });
      for (const ns of kvNamespaces) await kv.delByPrefix(`${ns}:`);
      await kv.close();
    }
    await mesh?.close();
  });

  const addMovie = (rating?: MaturityRating) => addVideo(mesh.addTitle(rating));
  const addVideo = (title: FakeTitle, episode?: { season: number; episode: number }) => mesh.addVideo(title, episode);
  const member = () => mesh.addProfile(randomUUID());
  const as = async (p: FakeProfile) => ({ headers: await mesh.headers(p.userId, p.profileId) });
  const report = async (lib: Library, p: FakeProfile, v: FakeVideo, position: number, duration = 1000) =>
    lib.reportProgress({ videoId: v.videoId, position, duration }, await as(p));
  const resume = async (lib: Library, p: FakeProfile, v: FakeVideo) => lib.getResumePosition({ profileId: p.profileId, videoId: v.videoId }, await as(p));
  const historyOf = async (lib: Library, p: FakeProfile, page = 0, limit = 0) => lib.getWatchHistory({ profileId: p.profileId, page, limit }, await as(p));
  const continueOf = async (lib: Library, p: FakeProfile, limit = 0) => (await lib.listContinueWatching({ profileId: p.profileId, limit }, await as(p))).items;
  const positionsRecorded = (p: FakeProfile, v: FakeVideo) => recorded.filter((e) => e.profileId === p.profileId && e.videoId === v.videoId).map((e) => e.positionSeconds);
  const completionsOf = (p: FakeProfile, v: FakeVideo) => completions.filter((c) => c === `${p.profileId}:${v.videoId}`).length;
  /** The outbox relays in commit order: once a later write is announced, every earlier one is too. */
  const settle = async (lib: Library, p: FakeProfile) => {
    const marker = addMovie();
    await report(lib, p, marker, 1);
    await vi.waitFor(() => expect(positionsRecorded(p, marker)).toEqual([1]), SETTLE);
  };

  it("asks identity about a viewer's profile once for a run of progress reports, not once a report", async () => {
    const p = member();
    const v = addMovie();
    const player = await as(p); // one login session, as a player reporting every 10 s has
    for (const position of [10, 20, 30, 40, 50, 60]) await held.reportProgress({ videoId: v.videoId, position, duration: 1000 }, player);
    expect(mesh.profileChecks.get(p.profileId)).toBe(1);
    // Another login session is checked afresh: a cached answer never rides on another token.
    await held.reportProgress({ videoId: v.videoId, position: 70, duration: 1000 }, await as(p));
    expect(mesh.profileChecks.get(p.profileId)).toBe(2);
  });

  it("holds back reports within the window: one persisted write and one ProgressRecorded, while resume shows the latest", async () => {
    const p = member();
    const v = addMovie();
    for (const position of [10, 20, 30, 40]) expect(await report(held, p, v, position)).toMatchObject({ success: true });

    expect(await resume(held, p, v)).toMatchObject({ found: true, positionSeconds: 40, durationSeconds: 1000, completed: false });
    await settle(held, p);
    expect(positionsRecorded(p, v)).toEqual([10]);
    expect(await resume(stored, p, v)).toMatchObject({ found: true, positionSeconds: 10 });
    expect(recorded.find((e) => e.videoId === v.videoId)).toMatchObject({ userId: p.userId, contentId: v.contentId, durationSeconds: 1000, progress: expect.closeTo(0.01, 5) });
  });

  it("writes the last report of a session once the window closes (trailing write)", async () => {
    const p = member();
    const v = addMovie();
    for (const position of [10, 20, 30]) await report(quick, p, v, position);
    expect(await resume(quick, p, v)).toMatchObject({ positionSeconds: 30 });
    await vi.waitFor(async () => expect(await resume(stored, p, v)).toMatchObject({ found: true, positionSeconds: 30 }), SETTLE);
    await vi.waitFor(() => expect(positionsRecorded(p, v).at(-1)).toBe(30), SETTLE);
    expect(positionsRecorded(p, v)[0]).toBe(10);
  });

  it("writes the held-back reports when a replica shuts down", async () => {
    const p = member();
    const v = addMovie();
    const leaving = await startLibrary("leaving", { LIBRARY_PROGRESS_WINDOW_MS: "3600000" });
    for (const position of [10, 20, 30]) await report(leaving.client, p, v, position);
    await leaving.stop();
    expect(await resume(stored, p, v)).toMatchObject({ positionSeconds: 30 });
    await vi.waitFor(() => expect(positionsRecorded(p, v)).toEqual([10, 30]), SETTLE);
  });

  it("completes a video at 90 % at once: resume at 0, out of continue watching, one TitleCompleted", async () => {
    const p = member();
    const [v, other] = [addMovie(), addMovie()];
    await report(held, p, other, 50);
    await report(held, p, v, 100);
    expect((await continueOf(held, p)).map((i) => i.videoId)).toEqual([v.videoId, other.videoId]);
    await report(held, p, v, 899);
    expect(await resume(held, p, v)).toMatchObject({ completed: false, positionSeconds: 899 });
    await report(held, p, v, 900);
    await report(held, p, v, 990);

    expect(await resume(held, p, v)).toMatchObject({ found: true, completed: true, positionSeconds: 0, durationSeconds: 1000 });
    expect(await resume(stored, p, v)).toMatchObject({ found: true, completed: true, positionSeconds: 0 });
    expect((await continueOf(held, p)).map((i) => i.videoId)).toEqual([other.videoId]);
    const [entry] = (await historyOf(held, p)).history;
    expect(entry).toMatchObject({ videoId: v.videoId, completed: true, positionSeconds: 990, progress: expect.closeTo(0.99, 5) });
    await settle(held, p);
    expect(completionsOf(p, v)).toBe(1);
    expect(positionsRecorded(p, v)).toEqual([100, 900]);
  });

  it("announces TitleCompleted again only after the video was restarted", async () => {
    const p = member();
    const v = addMovie();
    await report(quick, p, v, 950);
    await report(quick, p, v, 1000);
    await vi.waitFor(async () => expect(await resume(stored, p, v)).toMatchObject({ completed: true }), SETTLE);
    await report(quick, p, v, 5);
    await vi.waitFor(async () => expect(await resume(stored, p, v)).toMatchObject({ completed: false, positionSeconds: 5 }), SETTLE);
    await vi.waitFor(() => expect(completionsOf(p, v)).toBe(1), SETTLE);
    await report(quick, p, v, 960);
    await vi.waitFor(() => expect(completionsOf(p, v)).toBe(2), SETTLE);
    await settle(quick, p);
    expect(completionsOf(p, v)).toBe(2);
  });

  it("lists the history newest first, each video once (moved when re-watched), with progress, paged and counted", async () => {
    const p = member();
    const show = mesh.addTitle();
    const [movie, e1, e2] = [addMovie(), addVideo(show, { season: 1, episode: 1 }), addVideo(show, { season: 1, episode: 2 })];
    await report(quick, p, movie, 250);
    await report(quick, p, e1, 600, 1200);
    await report(quick, p, e2, 0, 1200);
    await report(quick, p, movie, 500);

    for (const lib of [quick, stored]) {
      // The stored replica shows the order once the held-back write of `movie` has landed.
      await vi.waitFor(async () => expect((await historyOf(lib, p)).history.map((h) => h.videoId)).toEqual([movie.videoId, e2.videoId, e1.videoId]), SETTLE);
    }
    const { history, totalCount } = await historyOf(quick, p);
    expect(totalCount).toBe(3);
    expect(history.map((h) => [h.videoId, h.contentId, h.positionSeconds, h.durationSeconds, h.progress, h.seasonNumber, h.episodeNumber, h.episodeTitle])).toEqual([
      [movie.videoId, movie.contentId, 500, 1000, 0.5, undefined, undefined, ""],
      [e2.videoId, show.contentId, 0, 1200, 0, 1, 2, "Episode 2"],
      [e1.videoId, show.contentId, 600, 1200, 0.5, 1, 1, "Episode 1"],
    ]);
    expect(history[1]).toMatchObject({ title: show.title, thumbnailUrl: show.thumbnailUrl, profileId: p.profileId, completed: false });
    const times = history.map((h) => timestampDate(h.lastWatchedAt!).getTime());
    expect([...times].sort((a, b) => b - a)).toEqual(times);

    const pages = [await historyOf(quick, p, 1, 2), await historyOf(quick, p, 2, 2), await historyOf(quick, p, 3, 2)];
    expect(pages.map((pg) => pg.history.map((h) => h.videoId))).toEqual([[movie.videoId, e2.videoId], [e1.videoId], []]);
    for (const pg of pages) expect(pg.totalCount).toBe(3);
  });

  it("continues watching one video per title, the last one watched, started and not completed, newest first", async () => {
    const p = member();
    const show = mesh.addTitle();
    const [e1, e2] = [addVideo(show, { season: 1, episode: 1 }), addVideo(show, { season: 1, episode: 2 })];
    const [started, finished, untouched] = [addMovie(), addMovie(), addMovie()];
    await report(held, p, started, 120);
    await report(held, p, e1, 300);
    await report(held, p, finished, 950);
    await report(held, p, untouched, 0);
    await report(held, p, e2, 30);

    const items = await continueOf(held, p);
    expect(items.map((i) => [i.videoId, i.title, i.seasonNumber, i.episodeNumber, i.positionSeconds])).toEqual([
      [e2.videoId, show.title, 1, 2, 30],
      [started.videoId, mesh.titles.get(started.contentId)!.title, undefined, undefined, 120],
    ]);
    expect(items.map((i) => i.content?.title)).toEqual([show.title, mesh.titles.get(started.contentId)!.title]);
    expect((await continueOf(held, p, 1)).map((i) => i.videoId)).toEqual([e2.videoId]);
    // A title the catalog stopped showing leaves the list rather than showing a blank tile.
    mesh.titles.delete(show.contentId);
    expect((await continueOf(held, p)).map((i) => i.videoId)).toEqual([started.videoId]);
  });

  it("refuses bad input with a precise code and writes nothing", async () => {
    const user = randomUUID();
    const p = mesh.addProfile(user);
    const kids = mesh.addProfile(user, MaturityRating.TV_Y7);
    const stranger = member();
    const [v, adult] = [addMovie(), addMovie(MaturityRating.R)];
    const mine = await as(p);
    const code = async (call: Promise<unknown>) => call.then(() => "ok" as const, (err: unknown) => ConnectError.from(err).code);

    expect(await code(held.reportProgress({ videoId: randomUUID(), position: 10, duration: 100 }, mine))).toBe(Code.NotFound);
    expect(await code(held.reportProgress({ videoId: adult.videoId, position: 10, duration: 100 }, await as(kids)))).toBe(Code.NotFound);
    expect(await code(held.reportProgress({ videoId: v.videoId, position: 10, duration: 100 }, { headers: await mesh.headers(user, stranger.profileId) }))).toBe(Code.NotFound);
    expect(await code(held.reportProgress({ videoId: v.videoId, position: 10, duration: 100 }, { headers: await mesh.headers(user, randomUUID()) }))).toBe(Code.NotFound);
    expect(await code(held.reportProgress({ videoId: v.videoId, position: 10, duration: 100 }, { headers: await mesh.headers(user) }))).toBe(Code.InvalidArgument);
    expect(await code(held.reportProgress({ videoId: v.videoId, position: 10, duration: 100 }, { headers: { [PROFILE_ID_HEADER]: p.profileId } }))).toBe(Code.Unauthenticated);
    for (const bad of [
      { videoId: "heat", position: 10, duration: 100 },
      { videoId: v.videoId, position: -1, duration: 100 },
      { videoId: v.videoId, position: 10, duration: 0 },
      { videoId: v.videoId, position: 10, duration: 86_401 },
    ]) {
      expect(await code(held.reportProgress(bad, mine))).toBe(Code.InvalidArgument);
    }
    await expect(held.reportProgress({ videoId: v.videoId, position: 10, duration: 0 }, mine)).rejects.toThrow(/duration/);

    await report(held, stranger, v, 10);
    for (const call of [
      held.getResumePosition({ profileId: stranger.profileId, videoId: v.videoId }, mine),
      held.getWatchHistory({ profileId: stranger.profileId }, mine),
      held.listContinueWatching({ profileId: stranger.profileId }, mine),
    ]) {
      expect(await code(call)).toBe(Code.NotFound);
    }
    expect(await code(held.getWatchHistory({ profileId: p.profileId, limit: 101 }, mine))).toBe(Code.InvalidArgument);
    expect(await code(held.getResumePosition({ profileId: p.profileId, videoId: "x" }, mine))).toBe(Code.InvalidArgument);
    expect(await code(held.getWatchHistory({ profileId: p.profileId }))).toBe(Code.Unauthenticated);

    expect(await resume(held, p, v)).toEqual(expect.objectContaining({ found: false, positionSeconds: 0, durationSeconds: 0, completed: false }));
    expect(await resume(held, kids, adult)).toMatchObject({ found: false });
    expect(await historyOf(held, p)).toMatchObject({ history: [], totalCount: 0 });
    expect(await historyOf(held, kids)).toMatchObject({ history: [], totalCount: 0 });
    expect(await resume(held, stranger, v)).toMatchObject({ found: true, positionSeconds: 10 });
  });

  it("keeps a position past the runtime at the runtime (completed)", async () => {
    const p = member();
    const v = addMovie();
    await report(held, p, v, 1003, 1000);
    expect(await resume(held, p, v)).toMatchObject({ completed: true, positionSeconds: 0 });
    expect((await historyOf(held, p)).history[0]).toMatchObject({ positionSeconds: 1000, progress: 1 });
  });
});
