import pg from "pg";
import { maturityRating, minimumAge } from "../../platform/domain/maturity.js";
import { createScratchDatabase } from "../../platform/storage/scratch-database.js";
import type { SearchDocument, SearchIndex } from "../../services/search/index.js";
import { openElasticsearchSearchIndex } from "../../services/search/index-elasticsearch.js";
import { openPostgresSearchIndex } from "../../services/search/index-postgres.js";
import { externalIdKey, type CatalogTitle } from "../catalog-import/catalog-title.js";
import { generateCatalog } from "../catalog-import/generate.js";
import { queryMix } from "./search-queries.js";
import { concurrently, misses, report } from "./search-report.js";

/**
 * The search engines on their own, without the mesh: the same generated titles and query mix as
 * bench:search, written straight into a SearchIndex (a scratch database on DATABASE_URL's server,
 * or a throw-away index prefix on ELASTICSEARCH_URL) and queried concurrently. A minute instead of
 * bench:search's quarter of an hour, so ranking changes can be measured as they are made; the
 * figures the README reports come from bench:search, through the edge.
 *
 *   npm run bench:search-engine   (env: SEARCH_BENCH_TITLES=15000 SEARCH_BENCH_QUERIES_PER_KIND=100
 *                                  SEARCH_BENCH_CONCURRENCY=16 SEARCH_BENCH_MISSES=0 (how many misses
 *                                  to print); DATABASE_URL, ELASTICSEARCH_URL (also runs Elasticsearch))
 */
const config = {
  titles: Number(process.env.SEARCH_BENCH_TITLES ?? 15_000),
  perKind: Number(process.env.SEARCH_BENCH_QUERIES_PER_KIND ?? 100),
  concurrency: Number(process.env.SEARCH_BENCH_CONCURRENCY ?? 16),
  misses: Number(process.env.SEARCH_BENCH_MISSES ?? 0),
  databaseUrl: process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres",
  elasticsearchUrl: process.env.ELASTICSEARCH_URL,
};

async function main(): Promise<void> {
  const titles = generateCatalog({ titles: config.titles, seed: 1, maxSeasons: 1, maxEpisodes: 1 });
  const docs = titles.map(searchDocumentOf);
  const queries = queryMix(
    titles.map((t) => ({ key: keyOf(t), title: t.title, cast: t.cast })),
    config.perKind,
  );
  const titleOf = new Map(docs.map((d) => [d.contentId, d.title]));
  console.log(`${docs.length} titles, ${queries.length} queries, ${config.concurrency} concurrent`);

  const runs: Array<[string, Awaited<ReturnType<typeof concurrently>>]> = [];
  const measure = async (name: string, index: SearchIndex) => {
    const t0 = performance.now();
    await index.rebuild(batches(docs, 500));
    console.log(`${name}: indexed ${docs.length} titles in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const outcomes = await concurrently(queries, config.concurrency, async (q) => (await index.search({ text: q.text, filters: {}, offset: 0, limit: 5 })).hits.map((h) => h.contentId));
    runs.push([name, outcomes]);
    for (const line of misses(outcomes, 5, (key) => titleOf.get(key) ?? key).slice(0, config.misses)) console.log(`  miss@5 ${line}`);
  };

  const scratch = await createScratchDatabase(config.databaseUrl);
  // A rebuild holds a client for its transaction and queries beside it: never fewer than a few.
  const pool = new pg.Pool({ connectionString: scratch.url, max: Math.max(4, config.concurrency) });
  try {
    await measure("Postgres engine", await openPostgresSearchIndex({ pool, schema: "search" }));
  } finally {
    await pool.end();
    await scratch.drop();
  }
  if (config.elasticsearchUrl) {
    const es = await openElasticsearchSearchIndex({ url: config.elasticsearchUrl, indexPrefix: `bench-${Date.now()}-` });
    try {
      await measure("Elasticsearch engine", es);
    } finally {
      await es.destroy();
      await es.close();
    }
  }
  report(runs, "Postgres engine");
}

const keyOf = (t: CatalogTitle) => externalIdKey(t.externalIds[0]!);

/** The document the search service would index for the title once the catalog published it. */
function searchDocumentOf(t: CatalogTitle): SearchDocument {
  const rating = maturityRating(t.rating);
  return {
    contentId: keyOf(t),
    version: 1,
    title: t.title,
    originalTitle: t.originalTitle,
    cast: t.cast,
    director: t.director,
    genres: t.genres,
    keywords: t.keywords,
    description: t.description,
    type: t.type,
    rating: t.rating,
    minAge: minimumAge(rating),
    releaseYear: t.releaseYear,
    language: t.language || "en",
    thumbnailUrl: t.thumbnailUrl,
    popularity: t.popularity,
    viewCount: 0,
    averageRating: 0,
    ratingCount: 0,
  };
}

async function* batches<T>(items: T[], size: number): AsyncIterable<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
