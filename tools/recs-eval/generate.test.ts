import { describe, expect, it } from "vitest";
import { ease } from "./ease.js";
import { generateInteractions } from "./generate.js";
import { ours } from "./ours.js";
import { popularity } from "./popularity.js";
import { evaluate } from "./run-eval.js";

describe("synthetic interactions", () => {
  it("is the same dataset for the same seed and another for another seed", () => {
    const a = generateInteractions({ users: 50, titles: 100, seed: 4 });
    expect(generateInteractions({ users: 50, titles: 100, seed: 4 })).toEqual(a);
    expect(generateInteractions({ users: 50, titles: 100, seed: 5 }).ratings).not.toEqual(a.ratings);
  });

  it("writes MovieLens rows: half stars, one rating per user and movie, times rising per user within two years", () => {
    const { movies, ratings } = generateInteractions({ users: 200, titles: 300, seed: 1 });
    expect(movies).toHaveLength(300);
    expect(movies.every((m) => /^.+ \(\d{4}\)$/.test(m.title) && /^[A-Z][\w-]*(\|[A-Z][\w-]*)*$/.test(m.genres))).toBe(true);
    expect(ratings.length).toBeGreaterThan(200 * 70);
    expect(ratings.length).toBeLessThan(200 * 130);
    expect(ratings.every((r) => r.rating >= 0.5 && r.rating <= 5 && Number.isInteger(r.rating * 2))).toBe(true);
    expect(new Set(ratings.map((r) => `${r.userId}:${r.movieId}`)).size).toBe(ratings.length);
    for (let i = 1; i < ratings.length; i++) if (ratings[i]!.userId === ratings[i - 1]!.userId) expect(ratings[i]!.timestamp).toBeGreaterThanOrEqual(ratings[i - 1]!.timestamp);
    const times = ratings.map((r) => r.timestamp);
    expect(Math.max(...times) - Math.min(...times)).toBeLessThanOrEqual(2 * 365 * 24 * 3600);
  });

  it("plants taste a recommender can learn: ours and EASE^R both beat popularity on Recall@10", () => {
    const data = generateInteractions({ users: 300, titles: 400, seed: 2 });
    const { results } = evaluate(data, [ours, popularity, ease()]);
    const recall = Object.fromEntries(results.map((r) => [r.name, r.recall]));
    expect(recall.ours).toBeGreaterThan(1.5 * recall.popularity!);
    expect(recall["EASE^R"]).toBeGreaterThan(1.5 * recall.popularity!);
  });
});
