import type { estypes } from "@elastic/elasticsearch";
import type { FacetField, SearchFilters } from "./index.js";
import type { QueryTerm } from "./text.js";
import { TEXT_FIELDS, type TextField } from "./documents.js";
import type { Expansion } from "./elasticsearch-expand.js";
import { EXACT_BONUS, PHRASE_BONUS, TYPO_UNIT, type ParsedQuery } from "./elasticsearch-ranking.js";

type Query = estypes.QueryDslQueryContainer;

/**
 * Matches when one of the words the typed word was expanded to (elasticsearch-expand.ts) is in
 * one of `fields`; scores as termScore does (the best field and typo count), each word looked up
 * exactly.
 */
export function termClause(expansion: Expansion, fields: readonly TextField[]): Query {
  const queries: Query[] = [];
  for (const { name, weight } of TEXT_FIELDS) {
    if (!fields.includes(name)) continue;
    expansion.forEach((level, typos) => {
      if (level.length === 0) return;
      const lookups = (["terms", "prefixes"] as const)
        .map((column) => ({ column, words: level.filter((w) => w.column === column).map((w) => w.word) }))
        .filter((l) => l.words.length > 0)
        .map(({ column, words }): Query => ({ terms: { [`${column}.${name}`]: words } }));
      const filter = lookups.length === 1 ? lookups[0]! : { bool: { should: lookups, minimum_should_match: 1 } };
      queries.push({ constant_score: { filter, boost: (2 - typos) * TYPO_UNIT + weight } });
    });
  }
  return queries.length > 0 ? { dis_max: { queries, tie_breaker: 0 } } : { match_none: {} };
}

function optionalClause(term: QueryTerm, fields: readonly TextField[]): Query {
  const queries = TEXT_FIELDS.filter(({ name }) => fields.includes(name)).map(({ name, weight }) => ({
    constant_score: { filter: { term: { [`terms.${name}`]: term.text } }, boost: weight },
  }));
  return { dis_max: { queries, tie_breaker: 0 } };
}

/** The text part of a search: every required term must match; the rest only adds to the score. */
export function textQuery(query: ParsedQuery, fields: readonly TextField[], expansions: ReadonlyMap<QueryTerm, Expansion>): { must: Query[]; should: Query[] } {
  const must = query.required.map((t) => termClause(expansions.get(t) ?? [], fields));
  const should: Query[] = query.optional.map((t) => optionalClause(t, fields));
  if (query.exact !== "") should.push({ constant_score: { filter: { term: { exact: query.exact } }, boost: EXACT_BONUS } });
  if (query.phrase.length > 0) {
    const phrase = query.phrase.join(" ");
    const filter: Query = query.phrasePrefix
      ? { match_phrase_prefix: { phrase: { query: phrase, max_expansions: 1000 } } }
      : { match_phrase: { phrase: { query: phrase } } };
    should.push({ constant_score: { filter, boost: PHRASE_BONUS } });
  }
  return { must, should };
}

/** Live titles under the filters (a removal's tombstone never matches). */
export function filterClauses(filters: SearchFilters): Query[] {
  const out: Query[] = [{ term: { removed: false } }];
  if (filters.genres?.length) out.push({ terms: { genreKeys: filters.genres.map((g) => g.toLowerCase()) } });
  if (filters.type) out.push({ term: { type: filters.type } });
  if (filters.yearFrom !== undefined || filters.yearTo !== undefined) {
    out.push({ range: { releaseYear: { ...(filters.yearFrom !== undefined ? { gte: filters.yearFrom } : {}), ...(filters.yearTo !== undefined ? { lte: filters.yearTo } : {}) } } });
  }
  if (filters.maxAge !== undefined) out.push({ range: { minAge: { lte: filters.maxAge } } });
  if (filters.language) out.push({ term: { language: filters.language } });
  return out;
}

export const FACET_FIELDS: readonly FacetField[] = ["genres", "type", "decade", "rating", "language"];

/** One terms aggregation per facet, over the hits of the query they sit in: most frequent first, ties by value. */
export const FACET_AGGREGATIONS: Record<string, estypes.AggregationsAggregationContainer> = Object.fromEntries(
  FACET_FIELDS.map((field) => [field, { terms: { field, size: 1000, order: [{ _count: "desc" }, { _key: "asc" }] } }]),
);

export const BY_SCORE: estypes.SortCombinations = { _score: { order: "desc" } };

/** Among equal scores of a text query, the shorter title first (before the tie breaks). */
export const SHORTER_TITLE: estypes.SortCombinations = { titleLength: { order: "asc", missing: "_last" } };

/** Popularity, views and rating break ties between equal scores; the id keeps pages stable. */
export const TIE_BREAKS: estypes.SortCombinations[] = [
  { popularity: "desc" },
  { viewCount: "desc" },
  { averageRating: "desc" },
  { contentId: "asc" },
];
