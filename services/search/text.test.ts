import { describe, expect, it } from "vitest";
import { comparable, decadeOf, fold, indexTerms, queryTerms, termMatches, titleForm, typoBudget, typoDistance } from "./text.js";

describe("search text", () => {
  it("folds accents, ligatures and case", () => {
    expect(fold("Amélie Léon STRAßE Æon ﬁlm Øresund")).toBe("amelie leon strasse aeon film oresund");
  });

  it("reads 'Title, The' as 'The Title' and leaves other commas alone", () => {
    expect(titleForm("Matrix, The")).toBe("The Matrix");
    expect(titleForm("Auberge espagnole, L'")).toBe("L'Auberge espagnole");
    expect(titleForm("Good, Bad")).toBe("Good, Bad");
  });

  it("indexes punctuated runs as parts and joined, and roman numerals both ways", () => {
    expect(indexTerms("Spider-Man 2")).toEqual(expect.arrayContaining(["spider", "man", "spiderman", "2", "ii"]));
    expect(indexTerms("WALL·E")).toEqual(expect.arrayContaining(["wall", "e", "walle"]));
    expect(indexTerms("Ocean's Eleven")).toEqual(expect.arrayContaining(["ocean", "s", "oceans", "eleven"]));
    expect(indexTerms("Rocky III")).toEqual(expect.arrayContaining(["rocky", "iii", "3"]));
  });

  it("makes the last word a prefix, a leading article optional, and budgets typos by length", () => {
    expect(queryTerms("the matr")).toEqual([
      { text: "the", prefix: false, typos: 0, optional: true },
      { text: "matr", prefix: true, typos: 0, optional: false },
    ]);
    expect(queryTerms("oceans ").at(-1)!.prefix).toBe(false);
    expect(queryTerms("Ocean's").map((t) => t.text)).toEqual(["oceans"]);
    expect(queryTerms("spider-man").map((t) => t.text)).toEqual(["spider", "man"]);
    expect([typoBudget("leon"), typoBudget("amelie"), typoBudget("starship"), typoBudget("interstellar")]).toEqual([0, 1, 1, 2]);
  });

  it("counts a typo on the first letter double, a swap of neighbours once", () => {
    expect(typoDistance("matirx", "matrix", 2)).toBe(1);
    expect(typoDistance("natrix", "matrix", 2)).toBe(2);
    expect(typoDistance("atrix", "matrix", 2)).toBe(2);
    expect(typoDistance("matrx", "matrix", 2)).toBe(1);
    expect(typoDistance("interstelar", "interstellar", 2)).toBe(1);
    expect(typoDistance("abcdef", "uvwxyz", 2)).toBe(3);
    expect(typoDistance("intersetl", "interstellar", 1, true)).toBe(1);
  });

  it("matches a term within its budget, as a prefix when it is the last word", () => {
    const [matrx] = queryTerms("matrx reloaded");
    expect(termMatches(matrx!, "matrix")).toBe(true);
    expect(termMatches(queryTerms("natrix reloaded")[0]!, "matrix")).toBe(false);
    expect(termMatches(queryTerms("leom")[0]!, "leon")).toBe(false);
    expect(termMatches(queryTerms("interst")[0]!, "interstellar")).toBe(true);
    expect(termMatches(queryTerms("intesrt")[0]!, "interstellar")).toBe(true);
    expect(termMatches(queryTerms("jnterstellar")[0]!, "interstellar")).toBe(true);
  });

  it("lets a part of a punctuated word match as the joined word, within the joined word's budget", () => {
    const [spider, mat] = queryTerms("spdier-mat");
    expect(spider!.joined).toEqual({ text: "spdiermat", prefix: true, typos: 2, optional: false });
    expect(termMatches(mat!, "man")).toBe(false);
    expect(termMatches(mat!, "spiderman")).toBe(true);
    expect(termMatches(spider!, "spiderman")).toBe(true);
    expect(queryTerms("spider man")[0]!.joined).toBeUndefined();
  });

  it("compares titles without case, accents, punctuation or a leading article", () => {
    expect(comparable("The Matrix")).toBe(comparable("matrix"));
    expect(comparable("Matrix, The")).toBe("matrix");
    expect(comparable("Léon: The Professional")).toBe("leon the professional");
    expect(decadeOf(1994)).toBe("1990s");
    expect(decadeOf(0)).toBe("");
  });
});
