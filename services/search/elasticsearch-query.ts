import type { estypes } from "@elastic/elasticsearch";
import type { FacetField, SearchFilters } from "./index.js";
import type { QueryTerm } from "./text.js";
import { TEXT_FIELDS, type TextField } from "./documents.js";
import { EXACT_BONUS, PHRASE_BONUS, TYPO_UNIT, type ParsedQuery } from "./elasticsearch-ranking.js";

type Query = estypes.QueryDslQueryContainer;

/**
 * The Elasticsearch side of text.ts's matching and elasticsearch-ranking.ts's score. A term with
 * typo budget 1 matches what Lucene's fuzzy query with one edit and the first letter fixed matches
 * (an edit of the first letter costs 2, over budget); with budget 2, two edits after a fixed first
 * letter, or one edit anywhere (a first-letter edit alone costs exactly 2). Both are the
 * optimal-string-alignment distance of typoDistance. The last word queries the stored beginnings
 * of words, so a fuzzy query on them is a typo-tolerant prefix match.
 */
function matchesWithin(term: QueryTerm, field: TextField, typos: 0 | 1 | 2): Query {
  const path = `${term.prefix ? "prefixes" : "terms"}.${field}`;
  const fuzzy = (fuzziness: number, prefix_length: number): Query => ({
    fuzzy: { [path]: { value: term.text, fuzziness, prefix_length, transpositions: true, rewrite: "constant_score" } },
  });
  if (typos === 0) return { term: { [path]: term.text } };
  if (typos === 1) return fuzzy(1, 1);
  return { bool: { should: [fuzzy(2, 1), fuzzy(1, 0)], minimum_should_match: 1 } };
}

/**
 * Matches when the term matches a word of one of `fields` (or, for a part of a punctuated word,
 * the joined word does); scores as termScore does (the best field and typo count).
 */
export function termClause(term: QueryTerm, fields: readonly TextField[]): Query {
  const typed = [term, ...(term.joined ? [term.joined] : [])];
  const queries: Query[] = [];
  for (const { name, weight } of TEXT_FIELDS) {
    if (!fields.includes(name)) continue;
    for (let typos = 0; typos <= Math.max(...typed.map((t) => t.typos)); typos++) {
      const within = typed.filter((t) => typos <= t.typos).map((t) => matchesWithin(t, name, typos as 0 | 1 | 2));
      const filter = within.length === 1 ? within[0]! : { bool: { should: within, minimum_should_match: 1 } };
      queries.push({ constant_score: { filter, boost: (2 - typos) * TYPO_UNIT + weight } });
    }
  }
  return { dis_max: { queries, tie_breaker: 0 } };
}

function optionalClause(term: QueryTerm, fields: readonly TextField[]): Query {
  const queries = TEXT_FIELDS.filter(({ name }) => fields.includes(name)).map(({ name, weight }) => ({
    constant_score: { filter: { term: { [`terms.${name}`]: term.text } }, boost: weight },
  }));
  return { dis_max: { queries, tie_breaker: 0 } };
}

/** The text part of a search: every required term must match; the rest only adds to the score. */
export function textQuery(query: ParsedQuery, fields: readonly TextField[]): { must: Query[]; should: Query[] } {
  const must = query.required.map((t) => termClause(t, fields));
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
