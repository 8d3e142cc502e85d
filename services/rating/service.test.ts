import { randomUUID } from "node:crypto";
import { timestampDate, timestampFromDate } from "@bufbuild/protobuf/wkt";
import { Code, createClient, type Client } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { MaturityRating } from "../../gen/cinemesh/common/v1/enums_pb.js";
import { ContentRatedSchema, type ContentRated } from "../../gen/cinemesh/events/v1/rating_events_pb.js";
import { RatingService } from "../../gen/cinemesh/rating/v1/rating_pb.js";
import type { Consumer } from "../../platform/events/bus.js";
import { startService } from "../../platform/host/run-service.js";
import { ratingService } from "./service.js";
import { startTestMesh, type TestMesh } from "../../platform/testing/test-mesh.js";

/** How long `vi.waitFor` waits for what happens asynchronously (events, expiry). */
const SETTLE = { timeout: 15_000, interval: 50 };

/**
 * The rating service over real gRPC, on the engines the environment names (else embedded), with
 * tiny identity and catalog hosts in front of it.
 */
describe("rating service", () => {
  let mesh: TestMesh;
  let url: string;
  let stop: () => Promise<void>;
  let rating: Client<typeof RatingService>;
  let consumer: Consumer;
  const rated: ContentRated[] = [];

  beforeAll(async () => {
    mesh = await startTestMesh("rating");
    const started = await startService(ratingService, mesh.env);
    url = started.host.url;
    stop = started.stop;
    rating = createClient(RatingService, createGrpcTransport({ baseUrl: url }));
    consumer = await mesh.events.subscribe("test-rated", ContentRatedSchema, async (e) => void rated.push(e));
  });
  afterAll(async () => {
    await consumer?.stop();
    await stop?.();
    await mesh?.close();
  });

  const as = async (userId: string, profileId?: string) => ({ headers: await mesh.headers(userId, profileId) });

  it("averages every profile's stars, moves the average by the difference on a re-rate, and shows the caller's own stars", async () => {
    const title = mesh.addTitle();
    const [ann, bob] = [randomUUID(), randomUUID()];
    const a = mesh.addProfile(ann);
    const b = mesh.addProfile(bob);

    expect(await rating.rateContent({ contentId: title.contentId, rating: 4 }, await as(ann, a.profileId))).toMatchObject({ success: true, averageRating: 4, totalRatings: 1n });
    expect(await rating.rateContent({ contentId: title.contentId, rating: 2 }, await as(bob, b.profileId))).toMatchObject({ averageRating: 3, totalRatings: 2n });
    expect(await rating.rateContent({ contentId: title.contentId, rating: 5 }, await as(ann, a.profileId))).toMatchObject({ averageRating: 3.5, totalRatings: 2n });

    expect(await rating.getContentRating({ contentId: title.contentId }, await as(ann, a.profileId))).toMatchObject({ averageRating: 3.5, totalRatings: 2n, userRating: 5 });
    expect(await rating.getContentRating({ contentId: title.contentId }, await as(bob, b.profileId))).toMatchObject({ userRating: 2 });
    const anonymous = await rating.getContentRating({ contentId: title.contentId }, await as(ann));
    expect(anonymous).toMatchObject({ averageRating: 3.5, totalRatings: 2n });
    expect(anonymous.userRating).toBeUndefined();
    const unrated = await rating.getContentRating({ contentId: mesh.addTitle().contentId }, await as(ann, a.profileId));
    expect(unrated).toMatchObject({ averageRating: 0, totalRatings: 0n });
    expect(unrated.userRating).toBeUndefined();
  });

  it("counts a profile once however many of its ratings of a title race", async () => {
    const title = mesh.addTitle();
    const user = randomUUID();
    const p = mesh.addProfile(user);
    const call = await as(user, p.profileId);
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => rating.rateContent({ contentId: title.contentId, rating: (i % 5) + 1 }, call)));
    for (const r of results) expect(r.totalRatings).toBe(1n);
    const after = await rating.getContentRating({ contentId: title.contentId }, call);
    expect(after.totalRatings).toBe(1n);
    expect(after.averageRating).toBe(after.userRating);
  });

  it("announces each change as ContentRated with the previous stars, and nothing when the stars are unchanged", async () => {
    const title = mesh.addTitle();
    const user = randomUUID();
    const p = mesh.addProfile(user);
    const call = await as(user, p.profileId);
    for (const stars of [3, 3, 1]) await rating.rateContent({ contentId: title.contentId, rating: stars }, call);
    const mine = () => rated.filter((e) => e.contentId === title.contentId);
    await vi.waitFor(() => expect(mine().some((e) => e.rating === 1)).toBe(true), SETTLE);
    // The relay publishes in commit order, so a duplicate for the repeated 3 would sit before the 1.
    expect(mine().map((e) => [e.rating, e.previousRating, e.averageRating, e.totalRatings, e.userId, e.profileId])).toEqual([
      [3, undefined, 3, 1n, user, p.profileId],
      [1, 3, 1, 1n, user, p.profileId],
    ]);
  });

  it("refuses bad input with a precise code and changes nothing", async () => {
    const title = mesh.addTitle();
    const adult = mesh.addTitle(MaturityRating.R);
    const [user, other] = [randomUUID(), randomUUID()];
    const mine = mesh.addProfile(user);
    const kids = mesh.addProfile(user, MaturityRating.TV_Y7);
    const theirs = mesh.addProfile(other);
    const call = await as(user, mine.profileId);

    for (const stars of [0, 6, -1]) {
      await expect(rating.rateContent({ contentId: title.contentId, rating: stars }, call)).rejects.toMatchObject({ code: Code.InvalidArgument, message: expect.stringContaining("rating") });
    }
    // 3.5 is not an int32: it never decodes, so it is refused before any handler runs.
    const half = await fetch(`${url}/cinemesh.rating.v1.RatingService/RateContent`, {
      method: "POST",
      headers: { ...call.headers, "content-type": "application/json" },
      body: JSON.stringify({ contentId: title.contentId, rating: 3.5 }),
    });
    expect(half.status).toBe(400);
    expect(await half.json()).toMatchObject({ code: "invalid_argument" });
    await expect(rating.rateContent({ contentId: "not-a-uuid", rating: 3 }, call)).rejects.toMatchObject({ code: Code.InvalidArgument });
    await expect(rating.rateContent({ contentId: randomUUID(), rating: 3 }, call)).rejects.toMatchObject({ code: Code.NotFound, message: expect.stringContaining("content") });
    await expect(rating.rateContent({ contentId: adult.contentId, rating: 3 }, await as(user, kids.profileId))).rejects.toMatchObject({ code: Code.NotFound });
    await expect(rating.rateContent({ contentId: title.contentId, rating: 3 }, await as(user, theirs.profileId))).rejects.toMatchObject({ code: Code.NotFound, message: expect.stringContaining("profile") });
    await expect(rating.rateContent({ contentId: title.contentId, rating: 3 }, await as(user, randomUUID()))).rejects.toMatchObject({ code: Code.NotFound });
    await expect(rating.rateContent({ contentId: title.contentId, rating: 3 }, await as(user))).rejects.toMatchObject({ code: Code.InvalidArgument, message: expect.stringContaining("Profile-Id") });
    await expect(rating.rateContent({ contentId: title.contentId, rating: 3 }, { headers: { "profile-id": mine.profileId } })).rejects.toMatchObject({ code: Code.Unauthenticated });
    await expect(rating.getContentRating({ contentId: title.contentId })).rejects.toMatchObject({ code: Code.Unauthenticated });
    await expect(rating.getContentRating({ contentId: title.contentId }, await as(user, theirs.profileId))).rejects.toMatchObject({ code: Code.NotFound });

    for (const [contentId, profileId] of [[title.contentId, mine.profileId], [adult.contentId, kids.profileId], [title.contentId, theirs.profileId]]) {
      const owner = profileId === theirs.profileId ? other : user;
      const state = await rating.getContentRating({ contentId }, await as(owner, profileId));
      expect(state).toMatchObject({ averageRating: 0, totalRatings: 0n });
      expect(state.userRating).toBeUndefined();
    }
    expect(rated.filter((e) => e.contentId === title.contentId || e.contentId === adult.contentId)).toEqual([]);
  });
  it("imports ratings streamed in batches with the times they were given, once however often it runs", async () => {
    const [t1, t2] = [mesh.addTitle(), mesh.addTitle()];
    const user = randomUUID();
    const p = mesh.addProfile(user);
    const given = (day: number) => timestampFromDate(new Date(Date.UTC(2015, 5, day)));
    const batches = () => [
      { ratings: [{ userId: user, profileId: p.profileId, contentId: t1.contentId, rating: 5, ratedAt: given(1) }] },
      { ratings: [{ userId: user, profileId: p.profileId, contentId: t2.contentId, rating: 2, ratedAt: given(2) }] },
    ];
    const admin = { headers: await mesh.adminHeaders() };
    expect(await rating.importRatings(streamOf(batches()), admin)).toMatchObject({ imported: 2n, unchanged: 0n });
    expect(await rating.importRatings(streamOf(batches()), admin)).toMatchObject({ imported: 0n, unchanged: 2n });
    expect(await rating.getContentRating({ contentId: t1.contentId }, await as(user, p.profileId))).toMatchObject({ averageRating: 5, totalRatings: 1n, userRating: 5 });
    await vi.waitFor(() => {
      const mine = rated.filter((e) => e.profileId === p.profileId);
      expect(mine.map((e) => [e.contentId, e.rating, timestampDate(e.meta!.occurredAt!).toISOString()]).sort()).toEqual(
        [[t1.contentId, 5, "2015-06-01T00:00:00.000Z"], [t2.contentId, 2, "2015-06-02T00:00:00.000Z"]].sort(),
      );
    }, SETTLE);

    // Of two ratings of one title in a batch, the later one counts, whatever their order.
    const t3 = mesh.addTitle();
    const twice = { ratings: [5, 4].map((day) => ({ userId: user, profileId: p.profileId, contentId: t3.contentId, rating: day === 5 ? 2 : 5, ratedAt: given(day) })) };
    expect(await rating.importRatings(streamOf([twice]), admin)).toMatchObject({ imported: 1n });
    expect(await rating.getContentRating({ contentId: t3.contentId }, await as(user, p.profileId))).toMatchObject({ averageRating: 2, totalRatings: 1n, userRating: 2 });

    const unknown = randomUUID();
    const refused = { ratings: [{ userId: user, profileId: p.profileId, contentId: t1.contentId, rating: 1, ratedAt: given(3) }, { userId: user, profileId: p.profileId, contentId: unknown, rating: 1, ratedAt: given(3) }] };
    await expect(rating.importRatings(streamOf([refused]), admin)).rejects.toMatchObject({ code: Code.InvalidArgument, rawMessage: expect.stringContaining(unknown) });
    expect((await rating.getContentRating({ contentId: t1.contentId }, await as(user, p.profileId))).userRating).toBe(5);
    await expect(rating.importRatings(streamOf(batches()), await as(user, p.profileId))).rejects.toMatchObject({ code: Code.PermissionDenied });
    await expect(rating.importRatings(streamOf([{ ratings: [{ ...batches()[0]!.ratings[0]!, rating: 6 }] }]), admin)).rejects.toMatchObject({ code: Code.InvalidArgument });
  });
});

async function* streamOf<T>(items: T[]): AsyncIterable<T> {
  yield* items;
}
