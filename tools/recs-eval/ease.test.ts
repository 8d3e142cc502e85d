import { describe, expect, it } from "vitest";
import type { RatingRow } from "./dataset.js";
import { ease, easeScores, easeWeights } from "./ease.js";
import { historiesOf } from "./history.js";
import { choleskyInverse, mlMatrixInverse } from "./spd-inverse.js";
import { Random } from "../catalog-import/random.js";

describe("EASE^R", () => {
  // Item 1 is liked by exactly those who like item 0; items 2-4 are liked here and there.
  const likes = [[0, 1], [0, 1, 2], [0, 1, 3], [2, 3], [3, 4], [2, 4], [0, 1, 4]];

  it("ranks the item always liked with another first for a user who liked only that other", () => {
    const b = easeWeights(likes, 5, 1);
    const scores = easeScores(b, 5, [0]);
    expect(scores[0]).toBe(0); // diag(B) = 0: an item never explains itself
    expect([...scores].map((s, i) => [i, s]).sort((x, y) => y[1]! - x[1]!)[0]![0]).toBe(1);
    expect(b[0 * 5 + 1]).toBeGreaterThan(0);
  });

  it("recommends through the same path, leaving out what the user rated", () => {
    const rows: RatingRow[] = likes.flatMap((items, u) => items.map((i) => ({ userId: `u${u}`, movieId: `m${i}`, rating: 4, timestamp: i })));
    rows.push({ userId: "me", movieId: "m0", rating: 5, timestamp: 1 }, { userId: "me", movieId: "m2", rating: 1, timestamp: 2 });
    const histories = historiesOf(rows);
    const lists = ease(1).recommend({ movies: [], train: rows, histories }, ["me"], 3);
    expect(lists.get("me")![0]).toBe("m1");
    expect(lists.get("me")).not.toContain("m0");
    expect(lists.get("me")).not.toContain("m2"); // rated, if badly: seen
  });

  it("inverts through Cholesky to what ml-matrix's LU inverse gives", () => {
    const rnd = new Random(3);
    const n = 40;
    const users = Array.from({ length: 200 }, () => rnd.sample(Array.from({ length: n }, (_, i) => i), rnd.int(1, 8)));
    const g = new Float64Array(n * n);
    for (const items of users) for (const i of items) for (const j of items) g[i * n + j]! += 1;
    for (let i = 0; i < n; i++) g[i * n + i]! += 5;
    const ours = choleskyInverse(g, n);
    const reference = mlMatrixInverse(g, n);
    for (let i = 0; i < n * n; i++) expect(ours[i]).toBeCloseTo(reference[i]!, 12);
    // And it is the inverse: G · G⁻¹ = I.
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let k = 0; k < n; k++) s += g[i * n + k]! * ours[k * n + j]!;
        expect(s).toBeCloseTo(i === j ? 1 : 0, 10);
      }
    }
    expect(() => choleskyInverse(new Float64Array([1, 2, 2, 1]), 2)).toThrow(/not positive definite/);
  });
});
