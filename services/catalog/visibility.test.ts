import { describe, expect, it } from "vitest";
import { ContentStatus, MaturityRating } from "./model.js";
import { canSee } from "./visibility.js";

const published = (rating: MaturityRating) => ({ status: ContentStatus.PUBLISHED, rating });
const draft = (rating: MaturityRating) => ({ status: ContentStatus.DRAFT, rating });

describe("visibility", () => {
  it("hides titles above a profile's cap, across the film and TV scales", () => {
    const kids = { admin: false, cap: MaturityRating.TV_Y7 };
    expect(canSee(kids, published(MaturityRating.G), false)).toBe(true);
    expect(canSee(kids, published(MaturityRating.TV_Y7), false)).toBe(true);
    expect(canSee(kids, published(MaturityRating.PG), false)).toBe(false);
    expect(canSee(kids, published(MaturityRating.TV_MA), false)).toBe(false);
    expect(canSee({ admin: false }, published(MaturityRating.NC_17), false)).toBe(true);
  });

  it("shows drafts only to admins, and only where the read offers drafts", () => {
    expect(canSee({ admin: false }, draft(MaturityRating.G), true)).toBe(false);
    expect(canSee({ admin: true }, draft(MaturityRating.G), true)).toBe(true);
    expect(canSee({ admin: true }, draft(MaturityRating.G), false)).toBe(false);
    // An admin acting for a kids profile is capped like anyone else.
    expect(canSee({ admin: true, cap: MaturityRating.G }, draft(MaturityRating.R), true)).toBe(false);
  });
});
