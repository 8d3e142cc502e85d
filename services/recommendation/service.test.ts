import { randomUUID } from "node:crypto";
import { create, toBinary, type DescMessage, type MessageShape } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { Code, createClient, type Client } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ContentSchema, ContentStatus } from "../../gen/cinemesh/catalog/v1/catalog_types_pb.js";
import { MaturityRating } from "../../gen/cinemesh/common/v1/enums_pb.js";
import { ViewCountedSchema } from "../../gen/cinemesh/events/v1/analytics_events_pb.js";
import { ContentPublishedSchema, ContentRemovedSchema } from "../../gen/cinemesh/events/v1/catalog_events_pb.js";
import { MyListItemAddedSchema, ProgressRecordedSchema, TitleCompletedSchema } from "../../gen/cinemesh/events/v1/library_events_pb.js";
import { ContentRatedSchema } from "../../gen/cinemesh/events/v1/rating_events_pb.js";
import type { EventMeta } from "../../gen/cinemesh/events/v1/meta_pb.js";
import { RecommendationService, TrendingWindow } from "../../gen/cinemesh/recommendation/v1/recommendation_pb.js";
import { startService } from "../../platform/host/run-service.js";
import { createPool } from "../../platform/storage/postgres.js";
import { startTestMesh, type FakeProfile, type FakeVideo, type TestMesh } from "../../platform/testing/test-mesh.js";
import { recommendationService, SCHEMA } from "./service.js";
import { createPostgresSignalStore } from "./store-postgres.js";
import type { SignalStore } from "./store.js";

/** How long `vi.waitFor` waits for what happens asynchronously (events, expiry). */
const SETTLE = { timeout: 15_000, interval: 50 };

/**
 * The recommendation service on the engines the environment names (else embedded), fed the
 * library's watch events on the bus as the library would publish them; what it stored is read
 * back through its store, the way ranking will read it.
 */
describe("recommendation service", () => {
  let mesh: TestMesh;
  let stop: () => Promise<void>;
  let recommendations: Client<typeof RecommendationService>;
  let pool: pg.Pool;
  let signals: SignalStore;

  const start = async () => {
    const started = await startService(recommendationService, mesh.env);
    stop = started.stop;
    recommendations = createClient(RecommendationService, createGrpcTransport({ baseUrl: started.host.url }));
  };

  beforeAll(async () => {
    mesh = await startTestMesh("recommendation");
    await start();
    pool = createPool(mesh.env.DATABASE_URL!, { max: 2 });
    signals = createPostgresSignalStore(pool, SCHEMA);
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

  describe("ranking", () => {
    const thrillers = Array.from({ length: 10 }, (_, i) => ({ contentId: randomUUID(), title: `Thriller ${i}`, genres: ["Thriller"], rating: MaturityRating.R }));
    const comedies = Array.from({ length: 10 }, (_, i) => ({ contentId: randomUUID(), title: `Comedy ${i}`, genres: ["Comedy"], rating: MaturityRating.PG_13 }));
    const cartoons = Array.from({ length: 6 }, (_, i) => ({ contentId: randomUUID(), title: `Cartoon ${i}`, genres: ["Animation", "Comedy"], rating: MaturityRating.G }));
    const everything = [...thrillers, ...comedies, ...cartoons];
    const titleOf = new Map<string, (typeof everything)[number]>(everything.map((t) => [t.contentId, t]));
    const video = (t: { contentId: string }) => ({ videoId: randomUUID(), contentId: t.contentId, titleId: t.contentId }) as unknown as FakeVideo;
    const rate = (p: FakeProfile, t: { contentId: string }, stars: number, m: number) =>
      publish(ContentRatedSchema, create(ContentRatedSchema, { meta: meta(m), userId: p.userId, profileId: p.profileId, contentId: t.contentId, rating: stars }));
    const finish = (p: FakeProfile, t: { contentId: string }, m: number) => publish(TitleCompletedSchema, completed(p, video(t), m));
    const asAdmin = async () => ({ headers: await mesh.adminHeaders() });
    const as = async (p: FakeProfile) => ({ headers: await mesh.headers(p.userId, p.profileId) });
    const genresOf = (ids: string[]) => ids.map((id) => titleOf.get(id)?.genres[0]);

    beforeAll(async () => {
      for (const t of everything) {
        const content = create(ContentSchema, { ...t, status: ContentStatus.PUBLISHED, thumbnailUrl: `https://img.test/${t.contentId}.jpg`, releaseYear: 2001, language: "en", updatedAt: timestampFromDate(minute(-100)) });
        await publish(ContentPublishedSchema, create(ContentPublishedSchema, { meta: meta(-100), content }));
      }
      // A crowd whose members each like one kind of title: what co-watching learns from.
      for (let c = 0; c < 12; c++) {
        const fan = mesh.addProfile(randomUUID());
        const kind = c % 2 === 0 ? thrillers : comedies;
        for (let k = 0; k < 4; k++) await finish(fan, kind[(c + k * 2) % kind.length]!, -50 + k);
      }
      await vi.waitFor(async () => expect((await recommendations.rebuildModel({}, await asAdmin())).interactionCount).toBeGreaterThanOrEqual(48), SETTLE);
    });

    it("recommends each profile titles like what it watched and rated, says why, and leaves out what it finished", async () => {
      const [thrillerFan, comedyFan] = [mesh.addProfile(randomUUID()), mesh.addProfile(randomUUID())];
      await finish(thrillerFan, thrillers[0]!, 1);
      await rate(thrillerFan, thrillers[1]!, 5, 2);
      await rate(comedyFan, comedies[0]!, 5, 1);
      await publish(MyListItemAddedSchema, create(MyListItemAddedSchema, { meta: meta(2), profileId: comedyFan.profileId, contentId: comedies[1]!.contentId }));

      await vi.waitFor(async () => {
        const { recommendations: mine, totalCount } = await recommendations.getRecommendations({ profileId: thrillerFan.profileId, limit: 10 }, await as(thrillerFan));
        expect(mine).toHaveLength(10);
        expect(totalCount).toBe(everything.length - 2);
        expect(genresOf(mine.slice(0, 3).map((r) => r.contentId))).toEqual(["Thriller", "Thriller", "Thriller"]);
        expect(mine.map((r) => r.contentId)).not.toContain(thrillers[0]!.contentId);
        expect(mine.map((r) => r.contentId)).not.toContain(thrillers[1]!.contentId);
        expect(mine[0]!.reason).toMatch(/^Because you (watched Thriller 0|rated Thriller 1 highly)$/);
        expect(mine[0]).toMatchObject({ title: titleOf.get(mine[0]!.contentId)!.title, thumbnailUrl: `https://img.test/${mine[0]!.contentId}.jpg`, score: 1, profileId: thrillerFan.profileId });

        const theirs = (await recommendations.getRecommendations({ profileId: comedyFan.profileId, limit: 10 }, await as(comedyFan))).recommendations;
        expect(genresOf(theirs.slice(0, 3).map((r) => r.contentId))).toEqual(["Comedy", "Comedy", "Comedy"]);
        expect(theirs.map((r) => r.contentId)).not.toContain(comedies[1]!.contentId);
        expect(theirs.some((r) => /^Because you (rated Comedy 0 highly|added Comedy 1 to My List)$/.test(r.reason))).toBe(true);
      }, SETTLE);

      // Within a moment of finishing the title at the top of the list, it is gone from the list.
      const { recommendations: before } = await recommendations.getRecommendations({ profileId: thrillerFan.profileId, limit: 1 }, await as(thrillerFan));
      await finish(thrillerFan, titleOf.get(before[0]!.contentId)!, 3);
      await vi.waitFor(async () => {
        const { recommendations: after } = await recommendations.getRecommendations({ profileId: thrillerFan.profileId, limit: 30 }, await as(thrillerFan));
        expect(after.map((r) => r.contentId)).not.toContain(before[0]!.contentId);
      }, SETTLE);

      const { rows } = await recommendations.getBecauseYouWatched({ profileId: thrillerFan.profileId, rows: 2, limit: 5 }, await as(thrillerFan));
      expect(rows.map((r) => r.sourceTitle)).toEqual([titleOf.get(before[0]!.contentId)!.title, "Thriller 1"]);
      for (const row of rows) expect(genresOf(row.recommendations.map((r) => r.contentId)).filter((g) => g === "Thriller").length).toBeGreaterThanOrEqual(4);
    });

    it("never recommends a kids profile anything above its cap, and a new profile still gets a full list", async () => {
      const kid = mesh.addProfile(randomUUID(), MaturityRating.G);
      await finish(kid, cartoons[0]!, 1);
      await vi.waitFor(async () => {
        const { recommendations: list } = await recommendations.getRecommendations({ profileId: kid.profileId, limit: 50 }, await as(kid));
        expect(list.map((r) => r.contentId).sort()).toEqual(cartoons.slice(1).map((t) => t.contentId).sort());
      }, SETTLE);
      const fresh = mesh.addProfile(randomUUID());
      const { recommendations: list } = await recommendations.getRecommendations({ profileId: fresh.profileId, limit: 5 }, await as(fresh));
      expect(list).toHaveLength(5);
      expect(list.every((r) => r.reason === "Popular on Cinemesh")).toBe(true);
      const other = mesh.addProfile(randomUUID());
      await expect(recommendations.getRecommendations({ profileId: fresh.profileId }, await as(other))).rejects.toMatchObject({ code: Code.NotFound });
    });

    it("answers \"more like this\" with titles of the same kind, within the caller's cap", async () => {
      const viewer = mesh.addProfile(randomUUID());
      const { sourceTitle, recommendations: alike } = await recommendations.getSimilar({ contentId: thrillers[3]!.contentId, limit: 10 }, await as(viewer));
      expect(sourceTitle).toBe("Thriller 3");
      expect(genresOf(alike.map((r) => r.contentId)).filter((g) => g === "Thriller").length).toBeGreaterThanOrEqual(8);
      const kid = mesh.addProfile(randomUUID(), MaturityRating.G);
      await expect(recommendations.getSimilar({ contentId: thrillers[3]!.contentId }, await as(kid))).rejects.toMatchObject({ code: Code.NotFound });
      const forKid = await recommendations.getSimilar({ contentId: cartoons[0]!.contentId }, await as(kid));
      expect(forKid.recommendations.every((r) => r.content!.rating === MaturityRating.G)).toBe(true);
      await expect(recommendations.getSimilar({ contentId: randomUUID() }, await as(viewer))).rejects.toMatchObject({ code: Code.NotFound });
    });

    it("ranks trending titles by recent views, counting a redelivered view once, by genre and within the cap", async () => {
      const view = (t: { contentId: string }, hoursAgo: number) => {
        const event = create(ViewCountedSchema, { meta: { ...mesh.events.meta(), occurredAt: timestampFromDate(new Date(Date.now() - hoursAgo * 3600_000)) }, contentId: t.contentId, sessionId: randomUUID(), videoId: randomUUID() });
        return Promise.all([publish(ViewCountedSchema, event), publish(ViewCountedSchema, event, `${event.meta!.eventId}:again`)]);
      };
      for (let i = 0; i < 3; i++) await view(comedies[5]!, 1);
      for (let i = 0; i < 2; i++) await view(thrillers[5]!, 2);
      await view(cartoons[2]!, 3);
      for (let i = 0; i < 5; i++) await view(thrillers[6]!, 24 * 6); // a week ago counts less, and not at all for the day
      const viewer = mesh.addProfile(randomUUID());
      await vi.waitFor(async () => {
        const { items } = await recommendations.getTrending({ window: TrendingWindow.DAY }, await as(viewer));
        expect(items.map((i) => [i.rank, i.content!.title, Number(i.viewCount)])).toEqual([[1, "Comedy 5", 3], [2, "Thriller 5", 2], [3, "Cartoon 2", 1]]);
      }, SETTLE);
      const week = await recommendations.getTrending({}, await as(viewer));
      expect(week.items.map((i) => i.content!.title)).toContain("Thriller 6");
      const comedy = await recommendations.getTrending({ genre: "comedy", window: TrendingWindow.DAY }, await as(viewer));
      expect(comedy.items.map((i) => i.content!.title)).toEqual(["Comedy 5", "Cartoon 2"]);
      const kid = mesh.addProfile(randomUUID(), MaturityRating.G);
      expect((await recommendations.getTrending({ window: TrendingWindow.DAY }, await as(kid))).items.map((i) => i.content!.title)).toEqual(["Cartoon 2"]);
      // A caller's own cap (browse's shared kids rows) narrows the list without a profile.
      expect((await recommendations.getTrending({ window: TrendingWindow.DAY, maxRating: MaturityRating.G }, await as(viewer))).items.map((i) => i.content!.title)).toEqual(["Cartoon 2"]);
    });

    it("drops a title the catalog removed from every list, and rebuilds only for an admin", async () => {
      const viewer = mesh.addProfile(randomUUID());
      const gone = comedies[9]!;
      await publish(ContentRemovedSchema, create(ContentRemovedSchema, { meta: meta(10), contentId: gone.contentId, deleted: true }));
      await vi.waitFor(async () => {
        const { recommendations: list } = await recommendations.getRecommendations({ profileId: viewer.profileId, limit: 100 }, await as(viewer));
        expect(list.map((r) => r.contentId)).not.toContain(gone.contentId);
        expect(list.length).toBeGreaterThan(0);
      }, SETTLE);
      await expect(recommendations.rebuildModel({}, await as(viewer))).rejects.toMatchObject({ code: Code.PermissionDenied });
    });
  });
});
