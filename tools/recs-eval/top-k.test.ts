import { describe, expect, it } from "vitest";
import { topK } from "./top-k.js";

describe("topK", () => {
  it("keeps the k best, equal scores in id order, excluded ids left out", () => {
    const ids = ["10", "9", "2", "30", "4"];
    expect(topK(ids, [1, 5, 5, 0, 3], 3, new Set())).toEqual(["2", "9", "4"]);
    expect(topK(ids, [1, 5, 5, 0, 3], 3, new Set(["2"]))).toEqual(["9", "4", "10"]);
    expect(topK(ids, [1, 1, 1, 1, 1], 10, new Set(["4"]))).toEqual(["2", "9", "10", "30"]);
  });
});
