import MiniSearch from "minisearch";
import pg from "pg";
import { BENCH_ADMIN, startBenchMesh } from "./bench-mesh.js";
import { externalIdKey, type CatalogTitle } from "../catalog-import/catalog-title.js";
import { edgeCatalog } from "../catalog-import/edge-catalog.js";
import { generateCatalog } from "../catalog-import/generate.js";
import { importTitles } from "../catalog-import/run-import.js";
import { queryMix, type BenchQuery, type BenchTitle } from "./search-queries.js";
import { concurrently, report, type Outcome } from "./search-report.js";

/**
 * Search quality and latency at the seed's library size: generated titles imported through the
 * edge, a query mix (exact, one and two typos, prefixes, accents dropped, punctuation dropped,
 * cast names) sent through the edge by concurrent clients; in the same run, MiniSearch (fuzzy,
 * prefix) over the same titles as the quality reference and a bare pg_trgm query in the mesh's
 * own Postgres as the latency reference.
 *
 *   npm run bench:search   (env: SEARCH_BENCH_TITLES=15000 SEARCH_BENCH_QUERIES_PER_KIND=100
 *                           SEARCH_BENCH_CONCURRENCY=16 SEARCH_BENCH_PORT_OFFSET=2500;
 *                           ELASTICSEARCH_URL=… runs the mesh's search on Elasticsearch)
 */
const config = {
  titles: Number(process.env.SEARCH_BENCH_TITLES ?? 15_000),
  perKind: Number(process.env.SEARCH_BENCH_QUERIES_PER_KIND ?? 100),
  concurrency: Number(process.env.SEARCH_BENCH_CONCURRENCY ?? 16),
  portOffset: Number(process.env.SEARCH_BENCH_PORT_OFFSET ?? 2_500),
};
const admin = BENCH_ADMIN;

async function main(): Promise<void> {
  const titles = generateCatalog({ titles: config.titles, seed: 1, maxSeasons: 1, maxEpisodes: 1 });
  const keyOf = (t: CatalogTitle) => externalIdKey(t.externalIds[0]!);
  const bench: BenchTitle[] = titles.map((t) => ({ key: keyOf(t), title: t.title, cast: t.cast }));
  const queries = queryMix(bench, config.perKind);
  console.log(`${titles.length} titles, ${queries.length} queries, ${config.concurrency} concurrent, search on ${process.env.ELASTICSEARCH_URL ? "Elasticsearch" : "Postgres"}`);

  const mesh = await startBenchMesh(config.portOffset);
  try {
    const started = Date.now();
    const summary = await importTitles(titles, edgeCatalog({ edge: mesh.edgeUrl, auth: admin }), { concurrency: config.concurrency }, { stderr: process.stderr });
    console.log(`imported ${summary.created} titles in ${((Date.now() - started) / 1000).toFixed(0)} s (${summary.failed.length} failed)`);
    // The mapping has a row per external id; a title's benchmark key is its first one.
    const benchKeys = new Set(bench.map((t) => t.key));
    const contentKey = new Map(summary.mapping.filter((m) => benchKeys.has(`${m.source}:${m.id}`)).map((m) => [m.contentId, `${m.source}:${m.id}`]));

    const token = await memberToken(mesh.edgeUrl);
    const search = async (text: string) => {
      const res = await fetch(`${mesh.edgeUrl}/api/v1/content/search?limit=5&query=${encodeURIComponent(text)}`, { headers: { authorization: `Bearer ${token}` } });
      if (!res.ok) throw new Error(`search ${JSON.stringify(text)}: HTTP ${res.status} ${await res.text()}`);
      return (await res.json()) as { results: Array<{ contentId: string }>; totalCount: number };
    };
    while ((await search("")).totalCount < summary.created) await new Promise((r) => setTimeout(r, 500));
    console.log(`indexed ${((Date.now() - started) / 1000).toFixed(0)} s after the import began`);

    const ours = await concurrently(queries, config.concurrency, async (q) => (await search(q.text)).results.map((r) => contentKey.get(r.contentId) ?? r.contentId));
    const mini = miniSearchRun(titles, keyOf, queries);
    const trigram = await trigramRun(config.portOffset, bench, queries);
    report([
      ["Cinemesh (edge)", ours],
      ["MiniSearch (in-process)", mini],
      ["pg_trgm (bare SQL)", trigram],
    ], "pg_trgm (bare SQL)");
  } finally {
    await mesh.stop();
  }
}

async function memberToken(edge: string): Promise<string> {
  const res = await fetch(`${edge}/api/v1/auth/signup`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: `bench-${Date.now()}@cinemesh.test`, password: "Bench-passw0rd!", country: "US" }),
  });
  if (!res.ok) throw new Error(`signup: HTTP ${res.status}`);
  return ((await res.json()) as { token: string }).token;
}

function miniSearchRun(titles: CatalogTitle[], keyOf: (t: CatalogTitle) => string, queries: BenchQuery[]): Outcome[] {
  const index = new MiniSearch<{ id: string; title: string; originalTitle: string; cast: string; director: string }>({
    fields: ["title", "originalTitle", "cast", "director"],
    searchOptions: { fuzzy: 0.2, prefix: true, boost: { title: 3 }, combineWith: "AND" },
    // Accents folded, as viewers type them.
    processTerm: (term) => term.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase(),
  });
  index.addAll(titles.map((t) => ({ id: keyOf(t), title: t.title, originalTitle: t.originalTitle, cast: t.cast.join(", "), director: t.director })));
  return queries.map((query) => {
    const t0 = performance.now();
    const top = index.search(query.text).slice(0, 5).map((r) => String(r.id));
    return { query, top, ms: performance.now() - t0 };
  });
}

/** The latency reference: `title % $1 ORDER BY title <-> $1` on a trigram index, straight to the mesh's embedded Postgres (or DATABASE_URL's). */
async function trigramRun(portOffset: number, titles: BenchTitle[], queries: BenchQuery[]): Promise<Outcome[]> {
  const url = process.env.DATABASE_URL ?? `postgres://postgres:cinemesh@127.0.0.1:${7000 + portOffset}/cinemesh`;
  const pool = new pg.Pool({ connectionString: url, max: config.concurrency });
  try {
    await pool.query("CREATE EXTENSION IF NOT EXISTS pg_trgm");
    await pool.query("DROP TABLE IF EXISTS bench_trigram_titles");
    await pool.query("CREATE TABLE bench_trigram_titles (key text PRIMARY KEY, title text NOT NULL)");
    for (let i = 0; i < titles.length; i += 1000) {
      const chunk = titles.slice(i, i + 1000);
      await pool.query("INSERT INTO bench_trigram_titles SELECT * FROM unnest($1::text[], $2::text[])", [chunk.map((t) => t.key), chunk.map((t) => t.title)]);
    }
    await pool.query("CREATE INDEX ON bench_trigram_titles USING gist (title gist_trgm_ops)");
    await pool.query("ANALYZE bench_trigram_titles");
    return await concurrently(queries, config.concurrency, async (q) => (await pool.query<{ key: string }>("SELECT key FROM bench_trigram_titles WHERE title % $1 ORDER BY title <-> $1 LIMIT 5", [q.text])).rows.map((r) => r.key));
  } finally {
    await pool.query("DROP TABLE IF EXISTS bench_trigram_titles").catch(() => undefined);
    await pool.end();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
