import { describe, expect, it } from "vitest";
import type { SourcedTitle } from "./catalog-title.js";
import { generateCatalog } from "./generate.js";
import { planImport, withoutRepeats } from "./plan.js";
import { MemoryCatalog } from "./testing/memory-catalog.js";

const sourced = (n: number, seed = 5): SourcedTitle[] => generateCatalog({ titles: n, seed }).map((title, i) => ({ file: "catalog.jsonl", line: i + 1, title }));

describe("import planner", () => {
  it("skips the titles whose external ids the catalog has, looking them up in batches of at most 500", async () => {
    const input = sourced(700);
    const catalog = new MemoryCatalog();
    const present = new Map<number, string>();
    for (const i of [0, 350, 699]) present.set(i, await catalog.createTitle(input[i].title, true));
    // One more known by its TMDB id only: any of a title's ids makes it existing.
    present.set(10, await catalog.createTitle({ ...input[10].title, externalIds: input[10].title.externalIds.filter((e) => e.source === "tmdb") }, true));

    const plan = await planImport(input, (ids) => catalog.lookupExternalIds(ids));
    expect(plan.existing.map((e) => [e.item.line, e.contentId])).toEqual([...present].sort((a, b) => a[0] - b[0]).map(([i, id]) => [i + 1, id]));
    expect(plan.toCreate).toHaveLength(696);
    expect(plan.toCreate.map((t) => t.line)).not.toContain(11);
    expect(Math.max(...catalog.lookups)).toBeLessThanOrEqual(500);
    expect(catalog.lookups.reduce((a, b) => a + b, 0)).toBe(input.flatMap((t) => t.title.externalIds).length);
  });

  it("plans nothing to create once everything is there", async () => {
    const input = sourced(50);
    const catalog = new MemoryCatalog();
    for (const t of input) await catalog.createTitle(t.title, true);
    const plan = await planImport(input, (ids) => catalog.lookupExternalIds(ids));
    expect(plan.toCreate).toEqual([]);
    expect(plan.existing).toHaveLength(50);
  });

  it("sets aside a title repeating an external id of an earlier row, naming that row", () => {
    const [a, b, c] = sourced(3);
    const repeat: SourcedTitle = { file: "more.jsonl", line: 9, title: { ...c.title, externalIds: [...c.title.externalIds, a.title.externalIds[1]] } };
    const { titles, badRows } = withoutRepeats([a, b, repeat, c]);
    expect(titles).toEqual([a, b, c]);
    expect(badRows).toEqual([{ file: "more.jsonl", line: 9, reason: `external id ${a.title.externalIds[1].source}:${a.title.externalIds[1].id} also on catalog.jsonl:1` }]);
  });
});
