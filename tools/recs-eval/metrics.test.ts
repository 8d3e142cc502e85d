import { describe, expect, it } from "vitest";
import { ndcgAt, quality, recallAt } from "./metrics.js";

describe("ranking metrics", () => {
  const relevant = new Set(["a", "b", "c"]);
  const list = ["a", "x", "b", "y", "z"];

  it("recall counts hits over the most hits possible", () => {
    expect(recallAt(10, list, relevant)).toBeCloseTo(2 / 3, 12);
    // Only the first k count, and k caps the denominator: 1 hit in 2 of 3 relevant, the most 2 could hold.
    expect(recallAt(2, list, relevant)).toBeCloseTo(1 / 2, 12);
    expect(recallAt(10, [], relevant)).toBe(0);
  });

  it("NDCG discounts hits by rank against the ideal list (hand-computed)", () => {
    // DCG = 1/log2(2) + 1/log2(4) = 1.5; ideal DCG = 1 + 1/log2(3) + 1/log2(4) = 2.1309…
    expect(ndcgAt(10, list, relevant)).toBeCloseTo(1.5 / (1.5 + 1 / Math.log2(3)), 12);
    expect(ndcgAt(10, ["a", "b", "c"], relevant)).toBeCloseTo(1, 12);
    // Cut at 1: the hit at rank 1 is the ideal one-item list.
    expect(ndcgAt(1, list, relevant)).toBeCloseTo(1, 12);
    expect(ndcgAt(10, ["x", "a"], new Set(["a"]))).toBeCloseTo(1 / Math.log2(3), 12);
  });

  it("averages over the test users and counts the distinct movies shown against the catalog", () => {
    const lists = new Map([
      ["u1", ["a", "x"]],
      ["u2", ["x", "y"]],
    ]);
    const test = new Map([
      ["u1", new Set(["a"])],
      ["u2", new Set(["b", "c"])],
      ["u3", new Set(["a"])], // no list: scores 0
    ]);
    const q = quality(10, lists, test, 8);
    expect(q.recall).toBeCloseTo(1 / 3, 12);
    expect(q.ndcg).toBeCloseTo(1 / 3, 12);
    expect(q.coverage).toBeCloseTo(3 / 8, 12);
  });
});
