import type { Client, estypes } from "@elastic/elasticsearch";
import type { FacetCount, FacetField, SearchHit, SearchPage, SearchQuery } from "./index.js";
import { TEXT_FIELDS, searchHit } from "./documents.js";
import type { StoredTitle } from "./elasticsearch-documents.js";
import { BY_SCORE, FACET_AGGREGATIONS, FACET_FIELDS, SHORTER_TITLE, TIE_BREAKS, filterClauses, textQuery } from "./elasticsearch-query.js";
import { expandTerms } from "./elasticsearch-expand.js";
import { parseQuery, scoreTitle } from "./elasticsearch-ranking.js";
import { highlight } from "./highlight.js";

/**
 * Elasticsearch scores with constant-score clauses that add up to scoreTitle's integer, so its
 * order is the ranking; the hits are fetched from the first one and scored again in TS (the
 * phrase-prefix expansion Elasticsearch caps is the one place the two could differ), which also
 * gives the highlight. Total and facets come from the same query, so they count every match.
 */
const RERANK_MARGIN = 50;
const MAX_WINDOW = 10_000;
const ALL_FIELDS = TEXT_FIELDS.map((f) => f.name);

type Bucket = { key: string | number; doc_count: number };

export async function searchTitles(client: Client, alias: string, query: SearchQuery): Promise<SearchPage> {
  const parsed = parseQuery(query.text);
  const hasText = parsed.required.length > 0;
  const { must, should } = hasText ? textQuery(parsed, ALL_FIELDS, await expandTerms(client, alias, parsed.required)) : { must: [], should: [] };
  const window = query.offset + query.limit + RERANK_MARGIN;
  const rerank = hasText && window <= MAX_WINDOW;
  const response = await client.search<StoredTitle>({
    index: alias,
    query: { bool: { filter: filterClauses(query.filters), must, should } },
    from: rerank ? 0 : query.offset,
    size: rerank ? window : query.limit,
    sort: [...(hasText ? [BY_SCORE, SHORTER_TITLE] : []), ...TIE_BREAKS],
    track_scores: true,
    track_total_hits: true,
    _source: { excludes: ["prefixes"] },
    aggs: FACET_AGGREGATIONS,
  });
  let ranked = response.hits.hits.map((hit) => {
    const title = hit._source!;
    return { title, score: hasText ? (scoreTitle(parsed, title) ?? hit._score ?? 0) : 0 };
  });
  if (rerank) ranked = ranked.sort((a, b) => b.score - a.score || a.title.titleLength - b.title.titleLength || byTieBreaks(a.title, b.title)).slice(query.offset, query.offset + query.limit);
  return {
    hits: ranked.map(({ title, score }) => searchHit(title, score, hasText ? highlight(title, parsed.terms) : "")),
    total: typeof response.hits.total === "number" ? response.hits.total : (response.hits.total?.value ?? 0),
    facets: facetsOf(response.aggregations),
  };
}

function byTieBreaks(a: StoredTitle, b: StoredTitle): number {
  return b.popularity - a.popularity || b.viewCount - a.viewCount || b.averageRating - a.averageRating || (a.contentId < b.contentId ? -1 : a.contentId > b.contentId ? 1 : 0);
}

function facetsOf(aggregations: Record<string, estypes.AggregationsAggregate> | undefined): SearchPage["facets"] {
  const facets: Partial<Record<FacetField, FacetCount[]>> = {};
  for (const field of FACET_FIELDS) {
    const buckets = ((aggregations?.[field] as { buckets?: Bucket[] } | undefined)?.buckets ?? [])
      .map((b) => ({ value: String(b.key), count: b.doc_count }))
      .filter((b) => b.value !== "");
    if (buckets.length > 0) facets[field] = buckets;
  }
  return facets;
}
