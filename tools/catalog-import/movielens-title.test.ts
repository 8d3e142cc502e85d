import { describe, expect, it } from "vitest";
import { articleBehind, articleInFront, parseMovieLensTitle } from "./movielens-title.js";

const ok = (raw: string) => {
  const r = parseMovieLensTitle(raw);
  if (!r.ok) throw new Error(`expected ${raw} to parse: ${r.reason}`);
  return r.value;
};

describe("MovieLens titles", () => {
  it("takes the year from the end and puts the article back in front", () => {
    expect(ok("Toy Story (1995)")).toEqual({ title: "Toy Story", originalTitle: "", alsoKnownAs: [], releaseYear: 1995 });
    expect(ok("Matrix, The (1999)").title).toBe("The Matrix");
    expect(ok("Lord of the Rings: The Return of the King, The (2003)").title).toBe("The Lord of the Rings: The Return of the King");
    expect(ok("Good, the Bad and the Ugly, The (Buono, il brutto, il cattivo, Il) (1966)")).toMatchObject({
      title: "The Good, the Bad and the Ugly",
      originalTitle: "Il Buono, il brutto, il cattivo",
    });
    expect(ok("Beautiful Mind, A (2001)").title).toBe("A Beautiful Mind");
    expect(ok("Armée des ombres, L' (1969)").title).toBe("L'Armée des ombres");
  });

  it("keeps commas that are not a moved article", () => {
    expect(ok("Crouching Tiger, Hidden Dragon (Wo hu cang long) (2000)")).toMatchObject({ title: "Crouching Tiger, Hidden Dragon", originalTitle: "Wo hu cang long" });
    expect(ok("Monsters, Inc. (2001)").title).toBe("Monsters, Inc.");
    expect(ok("(500) Days of Summer (2009)").title).toBe("(500) Days of Summer");
  });

  it("reads original titles and a.k.a. names from the parentheses", () => {
    expect(ok("City of Lost Children, The (Cité des enfants perdus, La) (1995)")).toEqual({
      title: "The City of Lost Children",
      originalTitle: "La Cité des enfants perdus",
      alsoKnownAs: [],
      releaseYear: 1995,
    });
    expect(ok("Seven (a.k.a. Se7en) (1995)")).toMatchObject({ title: "Seven", originalTitle: "", alsoKnownAs: ["Se7en"] });
    expect(ok("Léon: The Professional (a.k.a. The Professional) (Léon) (1994)")).toMatchObject({ title: "Léon: The Professional", originalTitle: "Léon", alsoKnownAs: ["The Professional"] });
  });

  it("takes the first year of a range and tolerates stray spaces", () => {
    expect(ok("  Stranger  Things (2016–2022) ").releaseYear).toBe(2016);
    expect(ok("Cosmos (1980-)")).toMatchObject({ title: "Cosmos", releaseYear: 1980 });
    expect(ok("Ice Age: Collision Course (2016) ").title).toBe("Ice Age: Collision Course");
  });

  it("refuses titles without a year the catalog can take", () => {
    expect(parseMovieLensTitle("Babylon 5")).toEqual({ ok: false, reason: "no release year (the catalog requires one)" });
    expect(parseMovieLensTitle("Toy Story (19xx)")).toEqual({ ok: false, reason: 'unparseable release year "(19xx)"' });
    expect(parseMovieLensTitle("Old Film (1066)")).toMatchObject({ ok: false, reason: expect.stringContaining("1066") });
    expect(parseMovieLensTitle("(1999)")).toEqual({ ok: false, reason: "no title" });
  });

  it("moves articles back for writing MovieLens files, the inverse of reading them", () => {
    for (const t of ["The Matrix", "A Beautiful Mind", "L'Été perdu", "La Forêt silencieuse", "Der Himmel", "I Am Legend", "Toy Story"]) {
      expect(articleInFront(articleBehind(t))).toBe(t);
    }
    expect(articleBehind("The Matrix")).toBe("Matrix, The");
    expect(articleBehind("I Am Legend")).toBe("I Am Legend");
  });
});
