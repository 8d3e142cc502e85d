import { Code } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { movie, show } from "./testing/fixtures.js";
import { startCatalogHarness, type CatalogHarness } from "./testing/harness.js";
import { expectRefused } from "./testing/refused.js";

/**
 * External ids make imports idempotent: each (source, id) names at most one title, and an importer
 * asks LookupExternalIds which of its rows exist already before creating the rest.
 */
describe("external ids", () => {
  let h: CatalogHarness;
  beforeAll(async () => {
    h = await startCatalogHarness();
  });
  afterAll(() => h?.close());

  const refused = (call: () => Promise<unknown>, code: Code, message?: RegExp) => expectRefused(h, call, code, message);

  it("refuses a title whose external id another title holds, naming that title, and creates nothing", async () => {
    const held = await h.admin.createContent(movie({ title: "Toy Story", externalIds: [{ source: "movielens", id: "1" }] }));
    const draft = await h.admin.createContent(show({ title: "Draft show", publish: false, externalIds: [{ source: "tmdb", id: "tv-42" }] }));

    await refused(
      () => h.admin.createContent(movie({ title: "Toy Story again", externalIds: [{ source: "imdb", id: "tt0114709" }, { source: "movielens", id: "1" }] })),
      Code.AlreadyExists,
      new RegExp(`movielens:1 already names content ${held.contentId} \\("Toy Story"\\)`),
    );
    // Drafts hold their ids too.
    await refused(() => h.admin.createContent(show({ externalIds: [{ source: "tmdb", id: "tv-42" }] })), Code.AlreadyExists, new RegExp(draft.contentId));
    // The refused title's other id was not kept either: it is still free.
    expect((await h.admin.lookupExternalIds({ externalIds: [{ source: "imdb", id: "tt0114709" }] })).matches).toEqual([]);
    const free = await h.admin.createContent(movie({ title: "Toy Story (IMDb)", externalIds: [{ source: "imdb", id: "tt0114709" }] }));
    expect(free.content?.externalIds).toMatchObject([{ source: "imdb", id: "tt0114709" }]);
  });

  it("gives a contested id to exactly one of two concurrent creations", async () => {
    const externalIds = [{ source: "movielens", id: "race" }];
    const results = await Promise.allSettled([1, 2, 3].map((n) => h.admin.createContent(movie({ title: `Racer ${n}`, externalIds }))));
    const won = results.flatMap((r) => (r.status === "fulfilled" ? [r.value.contentId] : []));
    expect(won).toHaveLength(1);
    for (const r of results) if (r.status === "rejected") expect(r.reason).toMatchObject({ code: Code.AlreadyExists });
    expect((await h.admin.lookupExternalIds({ externalIds })).matches.map((m) => m.contentId)).toEqual(won);
  });

  it("looks ids up in request order, drafts included, leaving out those that name no title", async () => {
    const a = await h.admin.createContent(movie({ title: "Jumanji", externalIds: [{ source: "movielens", id: "2" }, { source: "imdb", id: "tt0113497" }] }));
    const b = await h.admin.createContent(movie({ title: "Grumpier Old Men", publish: false, externalIds: [{ source: "movielens", id: "3" }] }));

    const { matches } = await h.admin.lookupExternalIds({
      externalIds: [
        { source: "movielens", id: "3" },
        { source: "movielens", id: "999999" },
        { source: "imdb", id: "tt0113497" },
        { source: "tmdb", id: "2" },
        { source: "movielens", id: "2" },
        { source: "movielens", id: "3" },
      ],
    });
    expect(matches.map((m) => [m.externalId?.source, m.externalId?.id, m.contentId])).toEqual([
      ["movielens", "3", b.contentId],
      ["imdb", "tt0113497", a.contentId],
      ["movielens", "2", a.contentId],
    ]);
    expect((await h.admin.lookupExternalIds({})).matches).toEqual([]);
  });

  it("frees a deleted title's ids", async () => {
    const externalIds = [{ source: "movielens", id: "gone" }];
    const { contentId } = await h.admin.createContent(movie({ title: "Short-lived", externalIds }));
    await h.admin.deleteContent({ contentId });
    expect((await h.admin.lookupExternalIds({ externalIds })).matches).toEqual([]);
    const again = await h.admin.createContent(movie({ title: "Back again", externalIds }));
    expect((await h.admin.lookupExternalIds({ externalIds })).matches.map((m) => m.contentId)).toEqual([again.contentId]);
  });

  it("validates sources, ids and the number of ids", async () => {
    const bad = [
      { source: "IMDb", id: "tt1" },
      { source: "the movie db", id: "1" },
      { source: "", id: "1" },
      { source: "x".repeat(31), id: "1" },
      { source: "imdb", id: "" },
      { source: "imdb", id: "x".repeat(101) },
    ];
    for (const x of bad) {
      await refused(() => h.admin.createContent(movie({ externalIds: [x] })), Code.InvalidArgument, /external_ids.*source must be/);
      await refused(() => h.admin.lookupExternalIds({ externalIds: [x] }), Code.InvalidArgument, /external_ids.*source must be/);
    }
    const many = (n: number) => Array.from({ length: n }, (_, i) => ({ source: "bulk", id: `${i}` }));
    await refused(() => h.admin.createContent(movie({ externalIds: many(11) })), Code.InvalidArgument, /external_ids/);
    await refused(() => h.admin.lookupExternalIds({ externalIds: many(501) }), Code.InvalidArgument, /external_ids/);
    // The limits themselves are allowed.
    const { contentId } = await h.admin.createContent(movie({ externalIds: many(10) }));
    const { matches } = await h.admin.lookupExternalIds({ externalIds: many(500) });
    expect(matches.map((m) => [m.externalId?.id, m.contentId])).toEqual(many(10).map((x) => [x.id, contentId]));
  });

  it("is for admins only", async () => {
    const externalIds = [{ source: "movielens", id: "1" }];
    await refused(() => h.member.lookupExternalIds({ externalIds }), Code.PermissionDenied, /admin/);
    await refused(() => h.anonymous.lookupExternalIds({ externalIds }), Code.Unauthenticated);
  });
});
