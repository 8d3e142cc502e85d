import { describe, expect, it } from "vitest";
import { nearest } from "./nearest.js";

describe("nearest", () => {
  it("keeps the k best, best first, ties by index, whatever the candidates' order", () => {
    const score = (i: number) => [0.5, 0.9, 0.1, 0.9, 0.7, 0.3][i]!;
    for (const order of [[0, 1, 2, 3, 4, 5], [5, 4, 3, 2, 1, 0], [3, 0, 5, 1, 4, 2]]) {
      expect(nearest(order, score, 3)).toEqual([
        { item: 1, similarity: 0.9 },
        { item: 3, similarity: 0.9 },
        { item: 4, similarity: 0.7 },
      ]);
    }
    expect(nearest([2, 0], score, 5).map((n) => n.item)).toEqual([0, 2]);
    expect(nearest([1, 2], score, 0)).toEqual([]);
  });
});
