import { Code } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { movie, show } from "./testing/fixtures.js";
import { startCatalogHarness, type CatalogHarness } from "./testing/harness.js";

const sharedCache = !!process.env.REDIS_URL;

/**
 * Reads are served from the cache (Redis when REDIS_URL is set, in-process otherwise), and every
 * write is visible on the next read. To tell a cached answer from a fresh one, the tests change a
 * row behind the service's back: a cached read does not see it.
 */
describe(`catalog reads through the cache (${sharedCache ? "redis" : "in-process"})`, () => {
  let h: CatalogHarness;
  beforeAll(async () => {
    h = await startCatalogHarness();
  });
  afterAll(() => h?.close());

  const behindTheBack = (contentId: string, title: string) => h.pool.query(`UPDATE catalog.content SET title = $2 WHERE content_id = $1`, [contentId, title]);

  it("serves a title from the cache, shows an update on the next read, and never serves a deleted title", async () => {
    const { contentId } = await h.admin.createContent(movie({ title: "Original" }));
    expect((await h.member.getContent({ contentId })).content?.title).toBe("Original");
    await behindTheBack(contentId, "Changed behind the service's back");
    expect((await h.member.getContent({ contentId })).content?.title).toBe("Original");

    await h.admin.updateContent({ contentId, title: "Updated" });
    expect((await h.member.getContent({ contentId })).content?.title).toBe("Updated");

    await h.admin.deleteContent({ contentId });
    await expect(h.member.getContent({ contentId })).rejects.toMatchObject({ code: Code.NotFound });
    expect((await h.member.batchGetContent({ contentIds: [contentId] })).contents).toEqual([]);
  });

  it("refreshes category pages and genre counts on any write", async () => {
    const genre = { genres: ["Cached Genre"] };
    const page = async () => (await h.member.listByCategory({ category: "Cached Genre", sortBy: "title" })).content.map((c) => c.title);
    const count = async () => (await h.member.listGenres({})).genres.find((g) => g.name === "Cached Genre")?.contentCount ?? 0;
    const a = await h.admin.createContent(movie({ title: "A", ...genre }));
    expect(await page()).toEqual(["A"]);
    expect(await count()).toBe(1);

    const b = await h.admin.createContent(movie({ title: "B", ...genre }));
    expect(await page()).toEqual(["A", "B"]);
    expect(await count()).toBe(2);

    await h.admin.updateContent({ contentId: a.contentId, title: "C" });
    expect(await page()).toEqual(["B", "C"]);

    await h.admin.updateContent({ contentId: b.contentId, genres: ["Elsewhere"] });
    expect(await page()).toEqual(["C"]);
    expect(await count()).toBe(1);

    await h.admin.deleteContent({ contentId: a.contentId });
    expect(await page()).toEqual([]);
    expect(await count()).toBe(0);
  });

  it("shows a new episode and new markers on the next read of the show", async () => {
    const { contentId } = await h.admin.createContent(show({ title: "Show" }));
    expect((await h.member.getContent({ contentId })).content?.episodes).toEqual([]);
    const { video } = await h.admin.addEpisode({ contentId, seasonNumber: 1, episodeNumber: 1, title: "Pilot" });
    expect((await h.member.getContent({ contentId })).content?.episodes.map((e) => e.title)).toEqual(["Pilot"]);
    await h.admin.setVideoMarkers({ videoId: video!.videoId, markers: { introStartSeconds: 5, introEndSeconds: 50 } });
    expect((await h.member.getContent({ contentId })).content?.episodes[0].markers?.introEndSeconds).toBe(50);
  });

  it.skipIf(!sharedCache)("keeps replicas sharing Redis in step: a write on one is visible on the other", async () => {
    const replica = await h.startReplica();
    try {
      const { contentId } = await h.admin.createContent(movie({ title: "Replicated" }));
      expect((await h.member.getContent({ contentId })).content?.title).toBe("Replicated");
      expect((await replica.member.getContent({ contentId })).content?.title).toBe("Replicated");
      await behindTheBack(contentId, "Changed behind the service's back");
      expect((await h.member.getContent({ contentId })).content?.title).toBe("Replicated");

      await replica.admin.updateContent({ contentId, title: "Changed on the replica" });
      expect((await h.member.getContent({ contentId })).content?.title).toBe("Changed on the replica");

      await replica.admin.deleteContent({ contentId });
      await expect(h.member.getContent({ contentId })).rejects.toMatchObject({ code: Code.NotFound });
    } finally {
      await replica.stop();
    }
  });
});
