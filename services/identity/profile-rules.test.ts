import { describe, expect, it } from "vitest";
import { MaturityRating } from "../../gen/cinemesh/common/v1/enums_pb.js";
import { DomainError } from "./errors.js";
import { effectiveMaturityCap, KIDS_MATURITY_CAP } from "./maturity-cap.js";
import type { ProfileRecord } from "./model.js";
import { newProfileValues, patchedProfileValues, type ProfileInput } from "./profile-rules.js";

const base: ProfileInput = { name: "Ann", avatarUrl: "", isKids: false, language: "", maturityLevel: MaturityRating.UNSPECIFIED };

describe("maturity caps", () => {
  it("leaves adults unrestricted by default and caps kids at PG (TV-PG equivalent) at most", () => {
    expect(effectiveMaturityCap(false, MaturityRating.UNSPECIFIED)).toBe(MaturityRating.NC_17);
    expect(effectiveMaturityCap(false, MaturityRating.PG_13)).toBe(MaturityRating.PG_13);
    expect(effectiveMaturityCap(true, MaturityRating.UNSPECIFIED)).toBe(KIDS_MATURITY_CAP);
    for (const above of [MaturityRating.PG_13, MaturityRating.TV_14, MaturityRating.R, MaturityRating.TV_MA, MaturityRating.NC_17]) {
      expect(effectiveMaturityCap(true, above)).toBe(MaturityRating.PG);
    }
    for (const within of [MaturityRating.G, MaturityRating.TV_Y, MaturityRating.TV_Y7, MaturityRating.TV_PG]) {
      expect(effectiveMaturityCap(true, within)).toBe(within);
    }
  });
});

describe("profile values", () => {
  it("fills defaults: language en, no preferences, the level for the kind of profile", () => {
    expect(newProfileValues(base)).toEqual({ ...base, language: "en", maturityLevel: MaturityRating.NC_17, preferences: {} });
    expect(newProfileValues({ ...base, isKids: true, maturityLevel: MaturityRating.R }).maturityLevel).toBe(MaturityRating.PG);
  });

  it("keeps names verbatim, markup and quotes included", () => {
    const name = "Robert'); DROP TABLE users;-- <script>alert(1)</script>";
    expect(newProfileValues({ ...base, name }).name).toBe(name);
  });

  it("rejects blank names, control characters, non-http avatars and oversized preferences, naming the field", () => {
    const cases: Array<[Partial<ProfileInput>, string]> = [
      [{ name: "   " }, "name"],
      [{ name: "A\u0000B" }, "name"],
      [{ name: "A\nB" }, "name"],
      [{ avatarUrl: "javascript:alert(1)" }, "avatar_url"],
      [{ avatarUrl: "data:text/html,<script>" }, "avatar_url"],
      [{ preferences: { blob: "x".repeat(17 * 1024) } }, "preferences"],
      [{ preferences: { s: "a\u0000b" } }, "preferences"],
    ];
    for (const [change, field] of cases) {
      let err: unknown;
      try {
        newProfileValues({ ...base, ...change });
      } catch (e) {
        err = e;
      }
      expect(err, JSON.stringify(change)).toBeInstanceOf(DomainError);
      expect((err as DomainError).field).toBe(field);
    }
  });

  it("lowers the level when a profile becomes a kids profile, and keeps it lowered when it stops being one", () => {
    const now = new Date();
    const adult: ProfileRecord = { ...newProfileValues(base), id: "p", userId: "u", createdAt: now, updatedAt: now };
    const kids = patchedProfileValues(adult, { isKids: true });
    expect(kids.maturityLevel).toBe(MaturityRating.PG);
    const grownUp = patchedProfileValues({ ...adult, ...kids }, { isKids: false });
    expect(grownUp.maturityLevel).toBe(MaturityRating.PG);
    expect(patchedProfileValues({ ...adult, ...kids }, { maturityLevel: MaturityRating.TV_MA }).maturityLevel).toBe(MaturityRating.PG);
  });
});
