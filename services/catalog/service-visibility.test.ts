import { Code } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MaturityRating } from "../../gen/cinemesh/common/v1/enums_pb.js";
import { movie, show } from "./testing/fixtures.js";
import { startCatalogHarness, type CatalogHarness } from "./testing/harness.js";

/**
 * Drafts are the admins' business, and a profile never sees a title above its maturity cap — on any
 * read path, ids guessed included. The kids profile here is capped at TV-Y7.
 */
describe("what each viewer may see", () => {
  let h: CatalogHarness;
  const id: Record<string, string> = {};
  let heatVideoId: string;

  beforeAll(async () => {
    h = await startCatalogHarness();
    const add = async (key: string, req: Parameters<CatalogHarness["admin"]["createContent"]>[0]) => {
      const res = await h.admin.createContent(req);
      id[key] = res.contentId;
      return res;
    };
    await add("bluey", show({ title: "Bluey", rating: MaturityRating.TV_Y, genres: ["Kids", "Animation"] }));
    await add("toyStory", movie({ title: "Toy Story", rating: MaturityRating.G, genres: ["Kids", "Animation"] }));
    await add("paddington", movie({ title: "Paddington", rating: MaturityRating.PG, genres: ["Kids", "Comedy"] }));
    heatVideoId = (await add("heat", movie({ title: "Heat", rating: MaturityRating.R, genres: ["Crime", "Drama"] }))).content!.video!.videoId;
    await add("breakingBad", show({ title: "Breaking Bad", rating: MaturityRating.TV_MA, genres: ["Crime", "Drama"] }));
    await add("draft", movie({ title: "Unreleased", rating: MaturityRating.G, genres: ["Kids"], publish: false }));
  });
  afterAll(() => h?.close());

  const titles = (list: { title: string }[]) => list.map((c) => c.title);

  it("GetContent: a title above the cap is NOT_FOUND, word for word like one that does not exist", async () => {
    const kids = h.asProfile("kids");
    expect((await kids.getContent({ contentId: id.bluey })).content?.title).toBe("Bluey");
    const hidden = await kids.getContent({ contentId: id.heat }).catch((e) => e);
    const missing = "00000000-0000-4000-8000-000000000000";
    const absent = await kids.getContent({ contentId: missing }).catch((e) => e);
    expect(hidden).toMatchObject({ code: Code.NotFound });
    expect(hidden.rawMessage).toBe(absent.rawMessage.replace(missing, id.heat));
    await expect(kids.getContent({ contentId: id.paddington })).rejects.toMatchObject({ code: Code.NotFound });
    await expect(kids.getContent({ contentId: id.draft })).rejects.toMatchObject({ code: Code.NotFound });
    await expect(kids.getVideo({ videoId: heatVideoId })).rejects.toMatchObject({ code: Code.NotFound });

    expect((await h.asProfile("teen").getContent({ contentId: id.paddington })).content?.title).toBe("Paddington");
    await expect(h.asProfile("teen").getContent({ contentId: id.heat })).rejects.toMatchObject({ code: Code.NotFound });
    // No profile named: an account-level read, no cap.
    expect((await h.member.getContent({ contentId: id.breakingBad })).content?.title).toBe("Breaking Bad");
    expect((await h.member.getVideo({ videoId: heatVideoId })).content?.title).toBe("Heat");
  });

  it("ListByCategory: only allowed titles, and total_count counts only them", async () => {
    const kids = await h.asProfile("kids").listByCategory({ category: "Kids", sortBy: "title" });
    expect(titles(kids.content)).toEqual(["Bluey", "Toy Story"]);
    expect(kids.totalCount).toBe(2);
    const member = await h.member.listByCategory({ category: "kids", sortBy: "title" });
    expect(titles(member.content)).toEqual(["Bluey", "Paddington", "Toy Story"]);
    expect(member.totalCount).toBe(3);
    expect((await h.asProfile("kids").listByCategory({ category: "Crime" })).totalCount).toBe(0);
    // The caller's own cap narrows further, and never widens a profile's.
    const capped = await h.member.listByCategory({ category: "Kids", sortBy: "title", maxRating: MaturityRating.G });
    expect(titles(capped.content)).toEqual(["Bluey", "Toy Story"]);
    const widened = await h.asProfile("kids").listByCategory({ category: "Kids", sortBy: "title", maxRating: MaturityRating.NC_17 });
    expect(titles(widened.content)).toEqual(["Bluey", "Toy Story"]);
  });

  it("ListPublished: only allowed titles, under the profile's cap and the caller's own", async () => {
    const kids = await h.asProfile("kids").listPublished({ sortBy: "title", limit: 100 });
    expect(titles(kids.content)).toEqual(["Bluey", "Toy Story"]);
    expect(kids.totalCount).toBe(2);
    const capped = await h.member.listPublished({ sortBy: "title", limit: 100, maxRating: MaturityRating.G });
    expect(titles(capped.content)).toEqual(["Bluey", "Toy Story"]);
    expect(titles((await h.member.listPublished({ sortBy: "title", limit: 100 })).content)).toContain("Heat");
  });

  it("BatchGetContent: leaves out hidden titles and drafts (drafts only for admins who ask)", async () => {
    const all = [id.heat, id.bluey, id.breakingBad, id.draft, id.toyStory, id.bluey];
    expect(titles((await h.asProfile("kids").batchGetContent({ contentIds: all })).contents)).toEqual(["Bluey", "Toy Story"]);
    expect(titles((await h.member.batchGetContent({ contentIds: all, includeDrafts: true })).contents)).toEqual([
      "Heat",
      "Bluey",
      "Breaking Bad",
      "Toy Story",
    ]);
    const admin = (await h.admin.batchGetContent({ contentIds: all, includeDrafts: true })).contents;
    expect(titles(admin)).toEqual(["Heat", "Bluey", "Breaking Bad", "Unreleased", "Toy Story"]);
    expect(admin.every((c) => c.episodes.length === 0 && c.seasons.length === 0 && c.video === undefined)).toBe(true);
    expect(titles((await h.admin.batchGetContent({ contentIds: all })).contents)).not.toContain("Unreleased");
  });

  it("ListGenres: counts only published titles the profile may see, and drops genres left empty", async () => {
    const counts = async (client: CatalogHarness["member"]) =>
      Object.fromEntries((await client.listGenres({})).genres.map((g) => [g.name, g.contentCount]));
    expect(await counts(h.member)).toEqual({ Animation: 2, Comedy: 1, Crime: 2, Drama: 2, Kids: 3 });
    expect(await counts(h.asProfile("kids"))).toEqual({ Animation: 2, Kids: 2 });
    expect(await counts(h.asProfile("teen"))).toEqual({ Animation: 2, Comedy: 1, Kids: 3 });
    expect((await h.member.listGenres({})).genres.find((g) => g.name === "Kids")?.slug).toBe("kids");
  });

  it("ListContent (admin) shows drafts too", async () => {
    const all = await h.admin.listContent({ limit: 100 });
    expect(all.totalCount).toBe(6);
    expect(titles(all.content)).toContain("Unreleased");
    expect(all.content.every((c) => c.episodes.length === 0 && c.video === undefined)).toBe(true);
  });

  it("a profile of another account is NOT_FOUND, on every read", async () => {
    const stranger = h.asProfile("someoneElses");
    await expect(stranger.getContent({ contentId: id.bluey })).rejects.toMatchObject({ code: Code.NotFound, rawMessage: expect.stringContaining("profile") });
    await expect(stranger.listByCategory({ category: "Kids" })).rejects.toMatchObject({ code: Code.NotFound });
    await expect(stranger.batchGetContent({ contentIds: [id.bluey] })).rejects.toMatchObject({ code: Code.NotFound });
    await expect(stranger.listGenres({})).rejects.toMatchObject({ code: Code.NotFound });
  });
});
