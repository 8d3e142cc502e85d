import { describe, expect, it } from "vitest";
import type { RatingRow } from "./dataset.js";
import { splitByTime } from "./split.js";

const rating = (userId: string, movieId: number, stars: number, timestamp: number): RatingRow => ({ userId, movieId: String(movieId), rating: stars, timestamp });

describe("the time split", () => {
  it("holds back the latest 20 % of each user's positives, equal times in movieId order", () => {
    // Ten positives: 1..7 early, then 30, 8 and 12 in the same second; by (time, movieId as a number) the last two are 12 and 30.
    const ten = [1, 2, 3, 4, 5, 6, 7].map((m) => rating("1", m, 4, m)).concat([30, 8, 12].map((m) => rating("1", m, 4.5, 500)));
    const { train, test } = splitByTime(ten);
    expect([...test.get("1")!].sort()).toEqual(["12", "30"]);
    expect(train.map((r) => r.movieId)).toEqual(["1", "2", "3", "4", "5", "6", "7", "8"]);

    const tie = [1, 2, 3, 4].map((m) => rating("2", m, 5, 10 * m)).concat([rating("2", 7, 4, 99), rating("2", 6, 4, 99)]);
    expect([...splitByTime(tie).test.get("2")!]).toEqual(["7"]);
  });

  it("keeps non-positive ratings in train even after the cut, and rounds 20 % down to at least one", () => {
    const seven = [1, 2, 3, 4, 5, 6, 7].map((m) => rating("1", m, 3.5, m));
    const later = [rating("1", 20, 3, 1000), rating("1", 21, 0.5, 1001)];
    const { train, test } = splitByTime([...seven, ...later]);
    expect([...test.get("1")!]).toEqual(["7"]);
    expect(train.map((r) => r.movieId)).toEqual(["1", "2", "3", "4", "5", "6", "20", "21"]);
  });

  it("tests no user with fewer than five positives: all their ratings train", () => {
    const four = [1, 2, 3, 4].map((m) => rating("1", m, 4.5, m)).concat([rating("1", 5, 3, 5), rating("1", 6, 2, 6)]);
    const five = [1, 2, 3, 4, 5].map((m) => rating("2", m, 4, m));
    const { train, test } = splitByTime([...four, ...five]);
    expect([...test.keys()]).toEqual(["2"]);
    expect([...test.get("2")!]).toEqual(["5"]);
    expect(train.filter((r) => r.userId === "1")).toHaveLength(6);
    // Nothing held back reaches train.
    expect(train.some((r) => r.userId === "2" && r.movieId === "5")).toBe(false);
  });
});
