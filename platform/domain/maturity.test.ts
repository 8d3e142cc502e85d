import { describe, expect, it } from "vitest";
import { MaturityRating } from "../../gen/cinemesh/common/v1/enums_pb.js";
import { profileCap, stricterCap } from "./maturity.js";

describe("maturity caps", () => {
  it("takes the stricter cap, and caps a kids profile that arrives without a level", () => {
    expect(stricterCap(MaturityRating.PG_13, MaturityRating.TV_Y7)).toBe(MaturityRating.TV_Y7);
    expect(stricterCap(undefined, MaturityRating.R)).toBe(MaturityRating.R);
    expect(stricterCap(MaturityRating.G, undefined)).toBe(MaturityRating.G);
    expect(profileCap({ isKids: true, maturityLevel: MaturityRating.UNSPECIFIED })).toBe(MaturityRating.PG);
    expect(profileCap({ isKids: false, maturityLevel: MaturityRating.UNSPECIFIED })).toBeUndefined();
    expect(profileCap({ isKids: true, maturityLevel: MaturityRating.TV_Y })).toBe(MaturityRating.TV_Y);
  });
});
