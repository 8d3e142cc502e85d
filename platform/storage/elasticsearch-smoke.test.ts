import { randomBytes } from "node:crypto";
import { Client } from "@elastic/elasticsearch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * A real Elasticsearch answers what the search port will ask of it (the port and its contract
 * suite come later). Runs when ELASTICSEARCH_URL is set (CI starts one: tools/engines). Only core
 * features: CI's integration-test distribution has no analysis-common (no asciifolding, ngram or
 * language analyzers), no mapper-extras (no search_as_you_type) and no painless.
 */
const url = process.env.ELASTICSEARCH_URL;

describe.skipIf(!url)(`Elasticsearch at ELASTICSEARCH_URL${url ? "" : " (skipped: ELASTICSEARCH_URL not set)"}`, () => {
  let client: Client;
  const index = `cinemesh_smoke_${randomBytes(4).toString("hex")}`;
  const titles = ["Paddington Picnic", "Skyline Heist", "Midnight Knives", "Garden Friends"];

  beforeAll(async () => {
    client = new Client({ node: url! });
    await client.indices.create({
      index,
      mappings: { properties: { title: { type: "text" }, suggest: { type: "completion" } } },
    });
    await client.bulk({
      refresh: true,
      operations: titles.flatMap((title, i) => [{ index: { _index: index, _id: String(i) } }, { title, suggest: { input: [title, ...title.split(" ")] } }]),
    });
  });
  afterAll(async () => {
    await client?.indices.delete({ index, ignore_unavailable: true });
    await client?.close();
  });

  it("finds a title despite a typo (fuzzy match), and nothing for an unrelated word", async () => {
    const search = (query: string) =>
      client.search<{ title: string }>({ index, query: { match: { title: { query, fuzziness: "AUTO" } } } }).then((r) => r.hits.hits.map((h) => h._source!.title));
    expect(await search("padington")).toEqual(["Paddington Picnic"]);
    expect(await search("skylin heist")).toEqual(["Skyline Heist"]);
    expect(await search("zebra")).toEqual([]);
  });

  it("completes a prefix of any word of a title", async () => {
    const complete = (prefix: string) =>
      client
        .search({ index, suggest: { s: { prefix, completion: { field: "suggest" } } } })
        .then((r) => (r.suggest!.s![0]!.options as { _source: { title: string } }[]).map((o) => o._source.title).sort());
    expect(await complete("Sky")).toEqual(["Skyline Heist"]);
    expect(await complete("Kni")).toEqual(["Midnight Knives"]);
    expect(await complete("xyz")).toEqual([]);
  });

  it("deletes the index", async () => {
    const other = `${index}_gone`;
    await client.indices.create({ index: other });
    expect(await client.indices.exists({ index: other })).toBe(true);
    await client.indices.delete({ index: other });
    expect(await client.indices.exists({ index: other })).toBe(false);
  });
});
