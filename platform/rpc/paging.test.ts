import { describe, expect, it } from "vitest";
import { DEFAULT_PAGE_SIZE, limitOrDefault, pageWindow } from "./paging.js";

describe("paging", () => {
  it("reads an unset page as the first and an unset limit as 20 rows", () => {
    expect(DEFAULT_PAGE_SIZE).toBe(20);
    expect(pageWindow({ page: 0, limit: 0 })).toEqual({ page: 1, limit: 20, offset: 0 });
    expect(limitOrDefault(0)).toBe(20);
  });

  it("covers the rows of the page asked for", () => {
    expect(pageWindow({ page: 3, limit: 10 })).toEqual({ page: 3, limit: 10, offset: 20 });
    expect(pageWindow({ page: 2, limit: 0 })).toEqual({ page: 2, limit: 20, offset: 20 });
    expect(limitOrDefault(5)).toBe(5);
  });
});
