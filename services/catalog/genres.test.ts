import { describe, expect, it } from "vitest";
import { CatalogError } from "./errors.js";
import { genreNames, slugify } from "./genres.js";

describe("genre slugs", () => {
  it("makes URL-friendly slugs that match names and slugs alike", () => {
    expect(slugify("Science Fiction")).toBe("science-fiction");
    expect(slugify("science-fiction")).toBe("science-fiction");
    expect(slugify("  Sci-Fi & Fantasy! ")).toBe("sci-fi-fantasy");
    expect(slugify("Animé")).toBe("anime");
    expect(slugify("アニメ")).toBe("アニメ");
    expect(slugify("<script>alert(1)</script>")).toBe("script-alert-1-script");
    expect(slugify("!!!")).toBe("");
  });

  it("keeps a title's genres in order, once per slug, and refuses names without a letter or digit", () => {
    expect(genreNames(["Drama", "Sci-Fi", "sci fi", "drama"])).toEqual([
      { slug: "drama", name: "Drama" },
      { slug: "sci-fi", name: "Sci-Fi" },
    ]);
    expect(() => genreNames(["Drama", "---"])).toThrow(CatalogError);
  });
});
