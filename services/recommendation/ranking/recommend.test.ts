import { describe, expect, it } from "vitest";
import { diversify } from "./diversify.js";
import { buildModel } from "./model.js";
import { becauseYouWatched, recommend, similarTitles } from "./recommend.js";
import type { Interaction, TitleFeatures } from "./titles.js";
import { interactionWeight } from "./weights.js";

const DAY = 24 * 3600_000;
const NOW = Date.UTC(2031, 0, 1);

const title = (contentId: string, genres: string[], more: Partial<TitleFeatures> = {}): TitleFeatures => ({
  contentId,
  title: contentId,
  genres,
  cast: [],
  director: "",
  keywords: [],
  releaseYear: 2000,
  language: "en",
  minAge: 13,
  ...more,
});
const liked = (profileId: string, contentId: string, daysAgo = 1, weight = 1): Interaction => ({ profileId, contentId, weight, at: NOW - daysAgo * DAY, kind: "watched" });

/** 12 thrillers and 12 comedies, and a crowd whose members each like titles of one kind only. */
function twoTastes() {
  const thrillers = Array.from({ length: 12 }, (_, i) => title(`thriller-${i}`, ["Thriller"]));
  const comedies = Array.from({ length: 12 }, (_, i) => title(`comedy-${i}`, ["Comedy"], { minAge: i < 6 ? 0 : 17 }));
  const crowd: Interaction[] = [];
  for (let p = 0; p < 30; p++) {
    const kind = p % 2 === 0 ? thrillers : comedies;
    for (let k = 0; k < 5; k++) crowd.push(liked(`crowd-${p}`, kind[(p + k * 3) % kind.length]!.contentId, 10 + k));
  }
  return { thrillers, comedies, titles: [...thrillers, ...comedies], crowd };
}

describe("recommend", () => {
  it("recommends titles like the ones the profile liked, saying which, and never what it touched", () => {
    const { titles, crowd } = twoTastes();
    const model = buildModel(titles, crowd, NOW);
    const mine = [liked("me", "thriller-0"), liked("me", "thriller-1", 2)];
    const list = recommend(model, { interactions: mine }, 10);
    expect(list).toHaveLength(10);
    expect(list.map((r) => r.contentId)).not.toContain("thriller-0");
    expect(list.map((r) => r.contentId)).not.toContain("thriller-1");
    // The taste leads the list, within the three-per-genre rule.
    expect(list.slice(0, 3).every((r) => r.contentId.startsWith("thriller-"))).toBe(true);
    expect(list[0]!.reason).toMatchObject({ kind: "because", via: "watched" });
    expect(["thriller-0", "thriller-1"]).toContain((list[0]!.reason as { sourceId: string }).sourceId);
    expect(list[0]!.score).toBe(1);

    const other = recommend(model, { interactions: [liked("you", "comedy-0"), liked("you", "comedy-3")] }, 10);
    expect(other.slice(0, 3).every((r) => r.contentId.startsWith("comedy-"))).toBe(true);
  });

  it("holds the maturity cap in every list, and gives a new profile the popular titles it may see", () => {
    const { titles, crowd } = twoTastes();
    const model = buildModel(titles, crowd, NOW);
    const kids = recommend(model, { interactions: [liked("kid", "comedy-0")], maxAge: 7 }, 20);
    expect(kids.length).toBeGreaterThan(0);
    expect(kids.every((r) => model.titles.get(r.contentId)!.minAge <= 7)).toBe(true);
    const fresh = recommend(model, { interactions: [], maxAge: 7 }, 5);
    expect(fresh.map((r) => r.reason.kind)).toEqual(["popular", "popular", "popular", "popular", "popular"]);
    expect(fresh.every((r) => model.titles.get(r.contentId)!.minAge <= 7)).toBe(true);
    expect(similarTitles(model, "comedy-1", 7, 20).every((r) => model.titles.get(r.contentId)!.minAge <= 7)).toBe(true);
  });

  it("gives a new profile the popular titles of its language first", () => {
    const { titles, crowd } = twoTastes();
    const french = titles.map((t, i) => (i % 4 === 0 ? { ...t, language: "fr" } : t));
    const model = buildModel(french, crowd, NOW);
    const list = recommend(model, { interactions: [], language: "fr-CA" }, 8);
    const frenchCount = french.filter((t) => t.language === "fr").length;
    expect(list.slice(0, frenchCount).every((r) => model.titles.get(r.contentId)!.language === "fr")).toBe(true);
    expect(list.slice(frenchCount).some((r) => model.titles.get(r.contentId)!.language === "en")).toBe(true);
    expect(list.map((r) => r.reason.kind)).toEqual(Array(8).fill("popular"));
  });

  it("lets a dislike push similar titles down", () => {
    const { titles, crowd } = twoTastes();
    const model = buildModel(titles, crowd, NOW);
    // Comedies score through what they share with thrillers (decade, language) until one is disliked.
    const comediesByTaste = (interactions: Interaction[]) =>
      recommend(model, { interactions }, 24).filter((r) => r.contentId.startsWith("comedy-") && r.reason.kind === "because").length;
    const likesThrillers = [liked("me", "thriller-0"), liked("me", "thriller-2")];
    expect(comediesByTaste(likesThrillers)).toBeGreaterThan(0);
    expect(comediesByTaste([...likesThrillers, liked("me", "comedy-1", 1, -1)])).toBe(0);
  });

  it("fills \"because you watched\" rows from the titles finished or rated highly, most recent first", () => {
    const { titles, crowd } = twoTastes();
    const model = buildModel(titles, crowd, NOW);
    const rows = becauseYouWatched(model, { interactions: [liked("me", "thriller-0", 5), liked("me", "comedy-0", 1), liked("me", "comedy-5", 0, 0.4)] }, 3, 5);
    expect(rows.map((r) => r.sourceId)).toEqual(["comedy-0", "thriller-0"]);
    expect(rows[0]!.items.filter((r) => r.contentId.startsWith("comedy-")).length).toBeGreaterThanOrEqual(4);
    expect(rows[1]!.items.filter((r) => r.contentId.startsWith("thriller-")).length).toBeGreaterThanOrEqual(4);
    expect(rows.flatMap((r) => r.items.map((i) => i.contentId))).not.toContain("comedy-5");
  });

  it("ranks titles with the same director and cast as alike before anyone has watched them", () => {
    const model = buildModel(
      [
        title("heat", ["Crime", "Drama"], { director: "Michael Mann", cast: ["Al Pacino", "Robert De Niro"] }),
        title("collateral", ["Crime", "Drama"], { director: "Michael Mann", cast: ["Tom Cruise"] }),
        title("the-irishman", ["Crime", "Drama"], { cast: ["Robert De Niro", "Al Pacino"] }),
        title("notting-hill", ["Romance", "Comedy"]),
        ...Array.from({ length: 8 }, (_, i) => title(`drama-${i}`, ["Drama"])),
      ],
      [],
      NOW,
    );
    expect(similarTitles(model, "heat", undefined, 2).map((r) => r.contentId).sort()).toEqual(["collateral", "the-irishman"]);
  });
});

describe("diversify", () => {
  it("keeps at most three titles of one genre in the first ten when others are there to take their place", () => {
    const titles = new Map([...Array.from({ length: 8 }, (_, i) => title(`t${i}`, ["Thriller"])), ...Array.from({ length: 8 }, (_, i) => title(`o${i}`, [`G${i % 4}`]))].map((t) => [t.contentId, t]));
    const ranked = [...titles.keys()].map((contentId) => ({ contentId }));
    const top = diversify(ranked, titles).slice(0, 10);
    const perGenre = new Map<string, number>();
    for (const r of top) for (const g of titles.get(r.contentId)!.genres) perGenre.set(g, (perGenre.get(g) ?? 0) + 1);
    expect(Math.max(...perGenre.values())).toBeLessThanOrEqual(3);
    expect(top.slice(0, 3).map((r) => r.contentId)).toEqual(["t0", "t1", "t2"]);
    // Nothing is lost: the titles held back follow.
    expect(diversify(ranked, titles)).toHaveLength(16);
  });
});

describe("interactionWeight", () => {
  it("reads a rating over what watching suggests, and an early abandoned start as a dislike", () => {
    expect(interactionWeight({ completed: true, stars: 1, listed: false })!.weight).toBeLessThan(0);
    expect(interactionWeight({ completed: true, stars: 5, listed: false })).toEqual({ weight: 1.2, kind: "rated" });
    expect(interactionWeight({ completed: true, listed: false })).toEqual({ weight: 1, kind: "watched" });
    expect(interactionWeight({ completed: false, progress: { fraction: 0.05, abandoned: true }, listed: false })!.weight).toBeLessThan(0);
    expect(interactionWeight({ completed: false, progress: { fraction: 0.05, abandoned: false }, listed: false })).toBeUndefined();
    expect(interactionWeight({ completed: false, listed: true })).toEqual({ weight: 0.5, kind: "listed" });
  });
});
