import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { create, toBinary } from "@bufbuild/protobuf";
import { Code, ConnectError, createClient, type Client, type HandlerContext } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { BrowseService, HomeSection, type GetHomeResponse } from "../../gen/cinemesh/browse/v1/browse_pb.js";
import { CatalogService } from "../../gen/cinemesh/catalog/v1/catalog_pb.js";
import { ContentSchema } from "../../gen/cinemesh/catalog/v1/catalog_types_pb.js";
import { ContentSummarySchema, type ContentSummary } from "../../gen/cinemesh/common/v1/content_pb.js";
import { ContentType, MaturityRating } from "../../gen/cinemesh/common/v1/enums_pb.js";
import { ProgressRecordedSchema } from "../../gen/cinemesh/events/v1/library_events_pb.js";
import { IdentityService } from "../../gen/cinemesh/identity/v1/identity_pb.js";
import { LibraryService } from "../../gen/cinemesh/library/v1/library_pb.js";
import { RecommendationService } from "../../gen/cinemesh/recommendation/v1/recommendation_pb.js";
import { isAllowed } from "../../platform/domain/maturity.js";
import { startService } from "../../platform/host/run-service.js";
import { PROFILE_ID_HEADER } from "../../platform/rpc/context.js";
import { startStandIn } from "../../platform/testing/stand-in.js";
import { startTestMesh, type FakeProfile, type TestMesh } from "../../platform/testing/test-mesh.js";
import { browseService } from "./service.js";

const SETTLE = { timeout: 15_000, interval: 50 };
/** Generous for a loaded CI machine: a healthy stand-in answers in a few ms. */
const DEADLINE_MS = 1000;
/** Well past the deadline: a source this slow is late for every page. */
const SLOW_MS = 3000;

/** A card of the stand-in catalog. */
const card = (title: string, genres: string[], rating: MaturityRating, releaseYear: number): ContentSummary =>
  create(ContentSummarySchema, { contentId: randomUUID(), title, genres, rating, releaseYear, type: ContentType.MOVIE, thumbnailUrl: `https://img.test/${title}.jpg` });

const T = {
  heat: card("Heat", ["Crime", "Drama"], MaturityRating.R, 1995),
  airplane: card("Airplane!", ["Comedy"], MaturityRating.PG, 1980),
  hangover: card("The Hangover", ["Comedy"], MaturityRating.R, 2009),
  bluey: card("Bluey", ["Kids", "Animation"], MaturityRating.TV_Y, 2018),
  toyStory: card("Toy Story", ["Kids", "Animation", "Comedy"], MaturityRating.G, 1995),
  alien: card("Alien", ["Science Fiction", "Horror"], MaturityRating.R, 1979),
  dune: card("Dune", ["Science Fiction"], MaturityRating.PG_13, 2021),
  paddington: card("Paddington", ["Kids", "Comedy"], MaturityRating.PG, 2014),
};
const ALL = Object.values(T);
const byId = new Map(ALL.map((c) => [c.contentId, c]));
const GENRES = [...new Set(ALL.flatMap((c) => c.genres))];

/**
 * The browse service on the test mesh (identity's profiles, the bus), with library, recommendation
 * and catalog stood in for: each answers from the state below, and can be made to fail or be slow,
 * as a real one that is down or overloaded would.
 */
describe("browse: the home page and category pages", () => {
  let mesh: TestMesh;
  let browse: Client<typeof BrowseService>;
  const stops: Array<() => Promise<void>> = [];
  const state = {
    watching: new Map<string, Array<{ contentId: string; progress: number }>>(),
    myList: new Map<string, string[]>(),
    picks: new Map<string, string[]>(),
    trending: [T.heat.contentId, T.airplane.contentId, T.toyStory.contentId],
    libraryDelayMs: 0,
    recommendationDown: false,
    identityDown: false,
    calls: {
      continueWatching: 0,
      trending: [] as Array<{ maxRating: MaturityRating; profile: string | null }>,
      category: [] as Array<{ category: string; page: number; limit: number; sortBy: string; profile: string | null }>,
    },
  };
  beforeEach(() => {
    state.libraryDelayMs = 0;
    state.recommendationDown = false;
    state.identityDown = false;
  });

  const capOf = (ctx: HandlerContext): MaturityRating | undefined => {
    const id = ctx.requestHeader.get(PROFILE_ID_HEADER)?.trim();
    return id ? mesh.profiles.get(id)?.maturity : undefined;
  };
  const under = (ids: string[], cap: MaturityRating | undefined) => ids.map((id) => byId.get(id)!).filter((c) => cap === undefined || cap === MaturityRating.UNSPECIFIED || isAllowed(c.rating, cap));
  const recommendationUp = () => {
    if (state.recommendationDown) throw new ConnectError("connection refused", Code.Unavailable);
  };

  beforeAll(async () => {
    mesh = await startTestMesh("browse");
    const env = { ...mesh.env, LIBRARY_PORT: "0", RECOMMENDATION_PORT: "0", CATALOG_PORT: "0", IDENTITY_PORT: "0" };
    const identity = await startStandIn("identity", IdentityService, env, {
      checkProfile: (req) => {
        if (state.identityDown) throw new ConnectError("connection refused", Code.Unavailable);
        const p = mesh.profiles.get(req.profileId);
        if (p === undefined) throw new ConnectError("not found", Code.NotFound);
        return { profileId: p.profileId, userId: p.userId, maturityLevel: p.maturity, plan: p.plan, status: p.status };
      },
    });
    const library = await startStandIn("library", LibraryService, env, {
      listContinueWatching: async (req) => {
        state.calls.continueWatching++;
        const watching = state.watching.get(req.profileId) ?? [];
        await sleep(state.libraryDelayMs);
        // With the catalog's cards, like the real one (which also applies the cap: browse must not rely on that).
        return { items: watching.map((w) => ({ contentId: w.contentId, videoId: randomUUID(), title: byId.get(w.contentId)!.title, progress: w.progress, profileId: req.profileId, content: byId.get(w.contentId) })) };
      },
      getMyList: async (req) => {
        const list = state.myList.get(req.profileId) ?? [];
        await sleep(state.libraryDelayMs);
        return { content: list.map((contentId) => ({ contentId, title: byId.get(contentId)!.title, content: byId.get(contentId) })), totalCount: list.length };
      },
    });
    // Like the real one, it applies the profile's cap; the kids test checks browse does not rely on that alone.
    const recommendation = await startStandIn("recommendation", RecommendationService, env, {
      getRecommendations: (req) => {
        recommendationUp();
        const picks = (state.picks.get(req.profileId) ?? []).map((id) => byId.get(id)!);
        return { recommendations: picks.map((c) => ({ contentId: c.contentId, title: c.title, reason: "Because you like Comedy", content: c, profileId: req.profileId })), totalCount: picks.length };
      },
      getBecauseYouWatched: (req) => {
        recommendationUp();
        const watched = state.watching.get(req.profileId)?.[0];
        if (watched === undefined) return { rows: [] };
        return { rows: [{ sourceContentId: watched.contentId, sourceTitle: byId.get(watched.contentId)!.title, recommendations: [{ contentId: T.hangover.contentId, title: T.hangover.title, content: T.hangover }] }] };
      },
      getTrending: (req, ctx) => {
        recommendationUp();
        state.calls.trending.push({ maxRating: req.maxRating, profile: ctx.requestHeader.get(PROFILE_ID_HEADER) });
        return { items: under(state.trending, req.maxRating).map((content, i) => ({ rank: i + 1, content })) };
      },
    });
    const catalog = await startStandIn("catalog", CatalogService, env, {
      batchGetContent: (req, ctx) => ({ contents: under(req.contentIds, capOf(ctx)).map((c) => create(ContentSchema, { ...c, $typeName: undefined })) }),
      listPublished: (req) => {
        const sorted = [...ALL].sort((a, b) => (req.sortBy === "newest" ? b.releaseYear - a.releaseYear : a.title.localeCompare(b.title)));
        const content = under(sorted.map((c) => c.contentId), req.maxRating);
        return { content, totalCount: content.length };
      },
      listGenres: () => ({ genres: GENRES.map((name) => ({ name, slug: name.toLowerCase(), contentCount: ALL.filter((c) => c.genres.includes(name)).length })) }),
      listByCategory: (req, ctx) => {
        state.calls.category.push({ category: req.category, page: req.page, limit: req.limit, sortBy: req.sortBy, profile: ctx.requestHeader.get(PROFILE_ID_HEADER) });
        const content = under(ALL.filter((c) => c.genres.some((g) => g.toLowerCase() === req.category)).map((c) => c.contentId), req.maxRating);
        return { content, totalCount: content.length };
      },
    });
    stops.push(identity.stop, library.stop, recommendation.stop, catalog.stop);
    const started = await startService(browseService, {
      ...env,
      BROWSE_PORT: "0",
      IDENTITY_ADDR: identity.host.url,
      LIBRARY_ADDR: library.host.url,
      RECOMMENDATION_ADDR: recommendation.host.url,
      CATALOG_ADDR: catalog.host.url,
      BROWSE_PAGE_BUDGET_MS: String(DEADLINE_MS + 200),
      BROWSE_DEPENDENCY_DEADLINE_MS: String(DEADLINE_MS),
      BROWSE_REVALIDATE_MS: String(SLOW_MS * 2),
    });
    stops.unshift(started.stop);
    browse = createClient(BrowseService, createGrpcTransport({ baseUrl: started.host.url }));
  });
  afterAll(async () => {
    for (const stop of stops) await stop();
    await mesh?.close();
  });

  const home = async (p: FakeProfile, options: { timeoutMs?: number } = {}) => browse.getHome({}, { headers: await mesh.headers(p.userId, p.profileId), ...options });
  const titles = (cards: Array<ContentSummary | undefined>) => cards.map((c) => c?.title);
  /** Every card on the page, row by row. */
  const everyCard = (page: GetHomeResponse): ContentSummary[] => [
    ...page.continueWatching.map((e) => e.content!),
    ...page.recommendations.map((r) => r.content!),
    ...page.myList,
    ...page.becauseYouWatched.flatMap((row) => row.recommendations.map((r) => r.content!)),
    ...page.trending,
    ...page.newReleases,
    ...page.categories.flatMap((row) => row.content),
  ];
  const adult = () => {
    const p = mesh.addProfile(randomUUID());
    state.watching.set(p.profileId, [{ contentId: T.airplane.contentId, progress: 0.4 }]);
    state.myList.set(p.profileId, [T.dune.contentId]);
    state.picks.set(p.profileId, [T.airplane.contentId, T.paddington.contentId, T.heat.contentId]);
    return p;
  };

  it("answers every row in one call: cards with progress, each title at most twice, genre rows by taste", async () => {
    const p = adult();
    const page = await browse.getHome({ limit: 3 }, { headers: await mesh.headers(p.userId, p.profileId) });
    expect(page.partial).toBe(false);
    expect(page.unavailableSections).toEqual([]);
    expect(page.continueWatching.map((e) => [e.content?.title, e.progress, e.content?.rating, e.content?.thumbnailUrl])).toEqual([
      ["Airplane!", expect.closeTo(0.4), MaturityRating.PG, "https://img.test/Airplane!.jpg"],
    ]);
    expect(page.recommendations.map((r) => [r.title, r.reason])).toEqual([
      ["Airplane!", "Because you like Comedy"],
      ["Paddington", "Because you like Comedy"],
      ["Heat", "Because you like Comedy"],
    ]);
    expect(titles(page.myList)).toEqual(["Dune"]);
    expect(page.becauseYouWatched.map((row) => [row.sourceTitle, row.recommendations.map((r) => r.title)])).toEqual([["Airplane!", ["The Hangover"]]]);
    // Airplane! is already in two rows above trending, so trending leaves it out.
    expect(titles(page.trending)).toEqual(["Heat", "Toy Story"]);
    expect(titles(page.newReleases).slice(0, 3)).toEqual(["Dune", "Bluey", "Paddington"]);
    // Comedy first (what the profile watches and is recommended), then by the number of titles;
    // each row holds what earlier rows did not show twice already.
    expect(page.categories[0]).toMatchObject({ name: "Comedy", content: [{ title: "The Hangover" }, { title: "Toy Story" }] });
    expect(page.categories.every((row) => row.content.length > 0 && row.content.length <= 3)).toBe(true);
    const appearances = new Map<string, number>();
    for (const c of everyCard(page)) appearances.set(c.title, (appearances.get(c.title) ?? 0) + 1);
    expect(Math.max(...appearances.values())).toBe(2);
  });

  it("holds a kids profile's cap in every row, whatever a source returns, and shares its rows with profiles under the same cap", async () => {
    const kid = mesh.addProfile(randomUUID(), MaturityRating.PG);
    state.watching.set(kid.profileId, [{ contentId: T.bluey.contentId, progress: 0.5 }, { contentId: T.heat.contentId, progress: 0.2 }]);
    state.myList.set(kid.profileId, [T.alien.contentId, T.toyStory.contentId]);
    // A source that got it wrong: browse still never shows these.
    state.picks.set(kid.profileId, [T.hangover.contentId, T.paddington.contentId]);
    state.calls.trending = [];
    const page = await home(kid);
    const cards = everyCard(page);
    expect(cards.length).toBeGreaterThan(5);
    expect(cards.filter((c) => !isAllowed(c.rating, MaturityRating.PG)).map((c) => c.title)).toEqual([]);
    expect(titles(page.continueWatching.map((e) => e.content))).toEqual(["Bluey"]);
    expect(titles(page.myList)).toEqual(["Toy Story"]);
    expect(page.recommendations.map((r) => r.title)).toEqual(["Paddington"]);
    // Trending was asked once for the cap, naming no profile, and another kid's page reuses it.
    expect(state.calls.trending).toEqual([{ maxRating: MaturityRating.PG, profile: "" }]);
    await home(mesh.addProfile(randomUUID(), MaturityRating.PG));
    expect(state.calls.trending).toHaveLength(1);
  });

  it("serves the page from kv until the profile's own event says it changed", async () => {
    const p = adult();
    await home(p);
    const before = state.calls.continueWatching;
    await home(p);
    expect(state.calls.continueWatching).toBe(before);
    state.watching.set(p.profileId, [{ contentId: T.heat.contentId, progress: 0.1 }, ...state.watching.get(p.profileId)!]);
    const event = create(ProgressRecordedSchema, { meta: mesh.events.meta(), userId: p.userId, profileId: p.profileId, contentId: T.heat.contentId, videoId: randomUUID(), positionSeconds: 60, durationSeconds: 600, progress: 0.1 });
    await mesh.bus.publish(mesh.events.subjectOf(ProgressRecordedSchema), toBinary(ProgressRecordedSchema, event), { msgId: event.meta!.eventId });
    await vi.waitFor(async () => expect(titles((await home(p)).continueWatching.map((e) => e.content))).toEqual(["Heat", "Airplane!"]), SETTLE);
    // Recommendation applies the same event on its own time: a page assembled just after the event
    // is not kept as fresh, so the next one shows what its sources learnt since.
    state.picks.set(p.profileId, [T.dune.contentId]);
    expect((await home(p)).recommendations.map((r) => r.title)).toEqual(["Dune"]);
  });

  it("with recommendation down: 200, partial, the last good rows for a known profile and popular titles for a new one", async () => {
    const known = adult();
    const healthy = await home(known);
    state.picks.set(known.profileId, [T.dune.contentId]);
    await publishProgress(known);
    state.recommendationDown = true;
    await vi.waitFor(async () => {
      const page = await home(known);
      expect(page.partial).toBe(true);
      expect(page.unavailableSections).toEqual([HomeSection.RECOMMENDATIONS, HomeSection.BECAUSE_YOU_WATCHED]);
      expect(page.recommendations.map((r) => r.title)).toEqual(healthy.recommendations.map((r) => r.title));
      // The rows of the sources that answered are new.
      expect(page.continueWatching).toHaveLength(1);
    }, SETTLE);

    const newcomer = mesh.addProfile(randomUUID());
    const page = await home(newcomer);
    expect(page.partial).toBe(true);
    expect(page.recommendations.length).toBeGreaterThan(0);
    expect(new Set(page.recommendations.map((r) => r.reason))).toEqual(new Set(["Popular on Cinemesh"]));
    // Trending everyone shares is still served from its copy while its source is down.
    expect(page.trending.length).toBeGreaterThan(0);
  });

  it("with library slow: answers within the budget from the last good rows, and the late answer refreshes them", async () => {
    const p = adult();
    await home(p);
    state.watching.set(p.profileId, [{ contentId: T.alien.contentId, progress: 0.7 }]);
    await publishProgress(p);
    state.libraryDelayMs = SLOW_MS;
    await vi.waitFor(async () => {
      const page = await home(p);
      expect(page.unavailableSections).toEqual([HomeSection.CONTINUE_WATCHING, HomeSection.MY_LIST]);
      expect(titles(page.continueWatching.map((e) => e.content))).toEqual(["Airplane!"]);
      expect(titles(page.myList)).toEqual(["Dune"]);
    }, SETTLE);
    // Still slow, but the answer that came late is now the copy.
    await vi.waitFor(async () => expect(titles((await home(p)).continueWatching.map((e) => e.content))).toEqual(["Alien"]), SETTLE);
  });

  it("respects the client's own deadline when it is shorter than the budget", async () => {
    const p = adult();
    state.libraryDelayMs = SLOW_MS;
    const page = await home(p, { timeoutMs: DEADLINE_MS / 2 });
    expect(page.partial).toBe(true);
    expect(page.unavailableSections).toEqual([HomeSection.CONTINUE_WATCHING, HomeSection.MY_LIST]);
    expect(page.recommendations.length).toBeGreaterThan(0);
  });

  it("with identity down: an unpersonalised, kids-safe page rather than an error", async () => {
    state.identityDown = true;
    const page = await home(adult());
    expect(page.partial).toBe(true);
    expect(page.unavailableSections).toEqual([HomeSection.CONTINUE_WATCHING, HomeSection.RECOMMENDATIONS, HomeSection.MY_LIST, HomeSection.BECAUSE_YOU_WATCHED]);
    expect(page.continueWatching).toEqual([]);
    expect(everyCard(page).every((c) => isAllowed(c.rating, MaturityRating.G))).toBe(true);
    expect(page.recommendations.every((r) => r.reason === "Popular on Cinemesh")).toBe(true);
  });

  it("refuses a page without a profile, or for a profile of another account", async () => {
    const p = adult();
    await expect(browse.getHome({}, { headers: await mesh.headers(p.userId) })).rejects.toMatchObject({ code: Code.InvalidArgument });
    await expect(browse.getHome({}, { headers: await mesh.headers(randomUUID(), p.profileId) })).rejects.toMatchObject({ code: Code.NotFound });
    await expect(browse.getHome({}, { headers: { [PROFILE_ID_HEADER]: p.profileId } })).rejects.toMatchObject({ code: Code.Unauthenticated });
    await expect(browse.getHome({ limit: 51 }, { headers: await mesh.headers(p.userId, p.profileId) })).rejects.toMatchObject({ code: Code.InvalidArgument });
  });

  it("serves the catalog's category page for the caller's profile", async () => {
    const p = adult();
    state.calls.category = [];
    const page = await browse.getCategoryPage({ category: "comedy", page: 1, limit: 10, sortBy: "newest" }, { headers: await mesh.headers(p.userId, p.profileId) });
    expect(page.category).toBe("comedy");
    expect(titles(page.content)).toEqual(["Airplane!", "The Hangover", "Toy Story", "Paddington"]);
    expect(state.calls.category).toEqual([{ category: "comedy", page: 1, limit: 10, sortBy: "newest", profile: p.profileId }]);
  });

  /** What the library publishes after a profile's progress: its page is assembled afresh next time. */
  async function publishProgress(p: FakeProfile): Promise<void> {
    const event = create(ProgressRecordedSchema, { meta: mesh.events.meta(), userId: p.userId, profileId: p.profileId, contentId: T.airplane.contentId, videoId: randomUUID(), positionSeconds: 1, durationSeconds: 600, progress: 0 });
    await mesh.bus.publish(mesh.events.subjectOf(ProgressRecordedSchema), toBinary(ProgressRecordedSchema, event), { msgId: event.meta!.eventId });
  }
});
