import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ContentStatus } from "../../gen/cinemesh/catalog/v1/catalog_types_pb.js";
import { movie } from "./testing/fixtures.js";
import { startCatalogHarness, type CatalogHarness } from "./testing/harness.js";

/** Category pages: sorted, paged, counted; the genre named by its name or its slug. */
describe("category listing", () => {
  let h: CatalogHarness;
  // title, release year, popularity, average rating, rating count
  const films: [string, number, number, number, number][] = [
    ["Alien", 1979, 90, 4.5, 900],
    ["Amélie", 2001, 40, 4.5, 1200],
    ["amadeus", 1984, 10, 4.0, 300],
    ["Blade Runner", 1982, 80, 4.4, 800],
    ["Brazil", 1985, 5, 3.9, 100],
    ["Children of Men", 2006, 60, 4.2, 500],
    ["Dune", 2021, 100, 4.1, 2000],
    ["Gattaca", 1997, 30, 3.8, 400],
    ["Moon", 2009, 20, 3.7, 150],
    ["Zardoz", 1974, 1, 2.1, 50],
  ];

  beforeAll(async () => {
    h = await startCatalogHarness();
    for (const [title, releaseYear] of films) await h.admin.createContent(movie({ title, releaseYear, genres: ["Science Fiction"] }));
    await h.admin.createContent(movie({ title: "Draft Sci-Fi", genres: ["Science Fiction"], publish: false }));
    await h.admin.createContent(movie({ title: "Heat", genres: ["Crime"] }));
    // Popularity and ratings come from other services' events (views, ratings); set them as those would.
    for (const [title, , popularity, averageRating, ratingCount] of films) {
      await h.pool.query(`UPDATE catalog.content SET popularity = $2, average_rating = $3, rating_count = $4 WHERE title = $1`, [
        title,
        popularity,
        averageRating,
        ratingCount,
      ]);
    }
  });
  afterAll(() => h?.close());

  const list = async (sortBy: string, page = 1, limit = 20) => {
    const res = await h.member.listByCategory({ category: "Science Fiction", sortBy, page, limit });
    return { titles: res.content.map((c) => c.title), total: res.totalCount };
  };

  it("sorts by popularity (the default), newest, rating and title", async () => {
    expect((await list("")).titles).toEqual(["Dune", "Alien", "Blade Runner", "Children of Men", "Amélie", "Gattaca", "Moon", "amadeus", "Brazil", "Zardoz"]);
    expect((await list("popularity")).titles).toEqual((await list("")).titles);
    expect((await list("newest")).titles).toEqual(["Dune", "Moon", "Children of Men", "Amélie", "Gattaca", "Brazil", "amadeus", "Blade Runner", "Alien", "Zardoz"]);
    // Ties on the average go to the title more people rated.
    expect((await list("rating")).titles).toEqual(["Amélie", "Alien", "Blade Runner", "Children of Men", "Dune", "amadeus", "Brazil", "Gattaca", "Moon", "Zardoz"]);
    // Case and accents do not split the alphabet.
    expect((await list("title")).titles).toEqual(["Alien", "amadeus", "Amélie", "Blade Runner", "Brazil", "Children of Men", "Dune", "Gattaca", "Moon", "Zardoz"]);
  });

  it("pages through every published title once, with the total on every page", async () => {
    const all = (await list("title")).titles;
    const pages = await Promise.all([1, 2, 3, 4].map((p) => list("title", p, 3)));
    expect(pages.map((p) => p.total)).toEqual([10, 10, 10, 10]);
    expect(pages.map((p) => p.titles.length)).toEqual([3, 3, 3, 1]);
    expect(pages.flatMap((p) => p.titles)).toEqual(all);
    expect(await list("title", 5, 3)).toEqual({ titles: [], total: 10 });
    // Defaults: page 1, 20 per page.
    const defaults = await h.member.listByCategory({ category: "science-fiction" });
    expect(defaults.content).toHaveLength(10);
    expect(defaults.totalCount).toBe(10);
  });

  it("finds the genre by name or slug, returns tiles, and knows nothing of unknown genres", async () => {
    const bySlug = await h.member.listByCategory({ category: "science-fiction", sortBy: "title", limit: 1 });
    expect(bySlug.content[0]).toMatchObject({ title: "Alien", genres: ["Science Fiction"], releaseYear: 1979, durationMinutes: 170, averageRating: 4.5 });
    expect((await h.member.listByCategory({ category: "SCIENCE fiction" })).totalCount).toBe(10);
    expect(await h.member.listByCategory({ category: "Westerns" })).toMatchObject({ content: [], totalCount: 0 });
    expect(await h.member.listByCategory({ category: "!!!" })).toMatchObject({ content: [], totalCount: 0 });
  });

  it("lists every published title of every genre, newest or most popular first, drafts left out", async () => {
    const newest = await h.member.listPublished({ sortBy: "newest", limit: 3 });
    expect(newest.content.map((c) => c.title)).toEqual(["Dune", "Moon", "Children of Men"]);
    // Ten films, Heat (Crime) and no draft.
    expect(newest.totalCount).toBe(11);
    const popular = await h.member.listPublished({ limit: 20 });
    expect(popular.content.map((c) => c.title).slice(0, 3)).toEqual(["Dune", "Alien", "Blade Runner"]);
    expect(popular.content.map((c) => c.title)).toContain("Heat");
    expect(popular.content.map((c) => c.title)).not.toContain("Draft Sci-Fi");
  });

  it("lists every title for admins, most recently updated first, filtered by status", async () => {
    await h.admin.updateContent({ contentId: (await h.member.listByCategory({ category: "crime" })).content[0].contentId, description: "touched" });
    const page1 = await h.admin.listContent({ limit: 5 });
    expect(page1.totalCount).toBe(12);
    expect(page1.content[0].title).toBe("Heat");
    const drafts = await h.admin.listContent({ status: ContentStatus.DRAFT });
    expect(drafts.content.map((c) => c.title)).toEqual(["Draft Sci-Fi"]);
    expect(drafts.totalCount).toBe(1);
  });
});
