import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { Client } from "@elastic/elasticsearch";
import { TEXT_FIELDS } from "./documents.js";
import { storedTitle } from "./elasticsearch-documents.js";
import { indexNames } from "./elasticsearch-indices.js";
import { expandTerms } from "./elasticsearch-expand.js";
import { filterClauses, textQuery } from "./elasticsearch-query.js";
import { parseQuery, scoreTitle } from "./elasticsearch-ranking.js";
import { openElasticsearchSearchIndex } from "./index-elasticsearch.js";
import { CATALOG, newTitle } from "./testing/fixture-catalog.js";
import { describeSearchIndexContract } from "./testing/index-contract.js";

/**
 * The search index contract on a real Elasticsearch, when ELASTICSEARCH_URL is set (CI starts
 * one: tools/engines). Every index opened gets its own random name prefix and is deleted after.
 */
const url = process.env.ELASTICSEARCH_URL;
const label = `Elasticsearch at ELASTICSEARCH_URL${url ? "" : " (skipped: ELASTICSEARCH_URL not set)"}`;
const freshPrefix = () => `cinemesh_test_${randomBytes(4).toString("hex")}_`;

describeSearchIndexContract(
  label,
  async () => {
    const index = await openElasticsearchSearchIndex({ url: url!, indexPrefix: freshPrefix() });
    return {
      index,
      async cleanup() {
        await index.destroy();
        await index.close();
      },
    };
  },
  { skip: !url },
);

describe.skipIf(!url)(`${label}: processes sharing one index`, () => {
  it("lets search replicas start together on one prefix and see each other's writes", async () => {
    const indexPrefix = freshPrefix();
    const [a, b] = await Promise.all([openElasticsearchSearchIndex({ url: url!, indexPrefix }), openElasticsearchSearchIndex({ url: url!, indexPrefix })]);
    try {
      await a.upsert(newTitle("h1", { title: "Heat", version: 1 }));
      expect((await b.search({ text: "heat", filters: {}, offset: 0, limit: 5 })).hits.map((h) => h.contentId)).toEqual(["h1"]);
      await b.remove("h1", 2);
      expect((await a.search({ text: "", filters: {}, offset: 0, limit: 5 })).total).toBe(0);
      const reopened = await openElasticsearchSearchIndex({ url: url!, indexPrefix });
      await reopened.upsert(newTitle("h1", { title: "Heat", version: 1 }));
      expect((await reopened.search({ text: "heat", filters: {}, offset: 0, limit: 5 })).total).toBe(0);
      await reopened.close();
    } finally {
      await a.destroy();
      await Promise.all([a.close(), b.close()]);
    }
  });

  it("carries a write made by another process during a rebuild into the new index", async () => {
    const indexPrefix = freshPrefix();
    const [rebuilder, writer] = await Promise.all([openElasticsearchSearchIndex({ url: url!, indexPrefix }), openElasticsearchSearchIndex({ url: url!, indexPrefix })]);
    try {
      let midway!: () => void;
      const reachedMidway = new Promise<void>((resolve) => (midway = resolve));
      let resume!: () => void;
      const resumed = new Promise<void>((resolve) => (resume = resolve));
      async function* source() {
        yield [newTitle("a", { title: "Heat", version: 1 })];
        midway();
        await resumed;
      }
      const rebuilding = rebuilder.rebuild(source());
      await reachedMidway;
      await writer.upsert(newTitle("b", { title: "Thief", version: 1 }));
      resume();
      expect(await rebuilding).toBe(1);
      const titles = (await writer.search({ text: "", filters: {}, offset: 0, limit: 5 })).hits.map((h) => h.title);
      expect(titles.sort()).toEqual(["Heat", "Thief"]);
    } finally {
      await rebuilder.destroy();
      await Promise.all([rebuilder.close(), writer.close()]);
    }
  });
});

describe.skipIf(!url)(`${label}: the shared text rules`, () => {
  /**
   * Totals and facets come from Elasticsearch alone, so its matching must be text.ts's to the
   * title (fuzzy edit counts, first-letter cost, prefixes); and its own order must be the TS
   * ranking's, or the window the TS re-ranks could miss the best titles.
   */
  it("matches exactly the titles the text rules match, and scores them as the TS ranking does", async () => {
    const indexPrefix = freshPrefix();
    const index = await openElasticsearchSearchIndex({ url: url!, indexPrefix });
    const client = new Client({ node: url! });
    try {
      await index.rebuild((async function* () { yield [...CATALOG]; })());
      const queries = ["matirx", "the matrix", "star wa", "tom hanks", "blue moon", "interstelar", "jnterstellar", "ford", "s", "sp", "wall e", "the o", "stranegr th", "carrie", "sci fi", "lana wach", "amleie", "a"];
      for (const text of queries) {
        const parsed = parseQuery(text);
        const expected = CATALOG.map((d) => ({ id: d.contentId, score: scoreTitle(parsed, storedTitle(d)) })).filter((e) => e.score !== null).sort(byId);
        const page = await index.search({ text, filters: {}, offset: 0, limit: 100 });
        expect(page.total, text).toBe(expected.length);
        expect(page.hits.map((h) => h.contentId).sort(), text).toEqual(expected.map((e) => e.id));
        const raw = await client.search({ index: indexNames(indexPrefix, 0).alias, size: 100, query: { bool: { filter: filterClauses({}), ...textQuery(parsed, ALL_FIELDS, await expandTerms(client, indexNames(indexPrefix, 0).alias, parsed.required)) } } });
        expect(raw.hits.hits.map((h) => ({ id: h._id!, score: h._score })).sort(byId), text).toEqual(expected);
      }
    } finally {
      await client.close();
      await index.destroy();
      await index.close();
    }
  });
});

const ALL_FIELDS = TEXT_FIELDS.map((f) => f.name);

function byId(a: { id: string }, b: { id: string }): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
