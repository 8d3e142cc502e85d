import type { Client } from "@elastic/elasticsearch";
import type { SuggestQuery, Suggestion } from "./index.js";
import { indexTerms, typosFor } from "./text.js";
import type { TextField } from "./documents.js";
import type { StoredTitle } from "./elasticsearch-documents.js";
import { BY_SCORE, TIE_BREAKS, filterClauses, textQuery } from "./elasticsearch-query.js";
import { expandTerms } from "./elasticsearch-expand.js";
import { parseQuery, scoreTitle, type ParsedQuery } from "./elasticsearch-ranking.js";

/**
 * Autocomplete: titles whose title words match what was typed (the last word as a prefix, typos
 * from 5 letters as in search), then people, then genres whose names match it. People and genres
 * are values inside title documents: the titles that could hold one are found by the same
 * matching, their values counted by a terms aggregation (under the age cap, so a person known only
 * from titles above it never shows), and each value checked in TS, since one title's match may
 * come from a different cast member than the value counted.
 */
const TITLE_FIELDS: TextField[] = ["title", "originalTitle"];
const PEOPLE_FIELDS: TextField[] = ["cast", "director"];
const GENRE_FIELDS: TextField[] = ["genres"];
const VALUE_BUCKETS = 1000;

export async function suggestAll(client: Client, alias: string, query: SuggestQuery): Promise<Suggestion[]> {
  const parsed = parseQuery(query.prefix);
  if (parsed.required.length === 0 || query.limit <= 0) return [];
  const filter = filterClauses(query.maxAge === undefined ? {} : { maxAge: query.maxAge });
  const expansions = await expandTerms(client, alias, parsed.required);
  const inFields = (fields: TextField[]) => {
    const { must, should } = textQuery(parsed, fields, expansions);
    return { bool: { filter, must, should } };
  };
  const valueSearch = (fields: TextField[], field: "people" | "genres") => ({
    index: alias,
    size: 0,
    query: inFields(fields),
    aggs: { values: { terms: { field, size: VALUE_BUCKETS, order: [{ _count: "desc" as const }, { _key: "asc" as const }] } } },
  });
  const [titles, people, genres] = await Promise.all([
    client.search<StoredTitle>({
      index: alias,
      size: query.limit + 20,
      query: inFields(TITLE_FIELDS),
      sort: [BY_SCORE, ...TIE_BREAKS],
      _source: { excludes: ["prefixes"] },
    }),
    client.search(valueSearch(PEOPLE_FIELDS, "people")),
    client.search(valueSearch(GENRE_FIELDS, "genres")),
  ]);
  const titleSuggestions: Suggestion[] = titles.hits.hits
    .map((hit) => ({ title: hit._source!, score: scoreTitle(parsed, hit._source!, TITLE_FIELDS) ?? 0 }))
    .sort((a, b) => b.score - a.score)
    .map(({ title }) => ({ kind: "title", text: title.title, contentId: title.contentId, thumbnailUrl: title.thumbnailUrl }));
  const personSuggestions: Suggestion[] = matchingValues(parsed, buckets(people)).map((text) => ({ kind: "person", text }));
  const genreSuggestions: Suggestion[] = matchingValues(parsed, buckets(genres)).map((text) => ({ kind: "genre", text }));
  return [...titleSuggestions, ...personSuggestions, ...genreSuggestions].slice(0, query.limit);
}

type Bucket = { key: string; doc_count: number };

function buckets(response: { aggregations?: Record<string, unknown> }): Bucket[] {
  return (response.aggregations?.values as { buckets?: Bucket[] } | undefined)?.buckets ?? [];
}

/** Values every required word matches, fewer typos first, then the most titles, then by name. */
function matchingValues(parsed: ParsedQuery, candidates: Bucket[]): string[] {
  const scored: { text: string; typos: number; count: number }[] = [];
  for (const { key, doc_count } of candidates) {
    const words = indexTerms(key);
    let typos = 0;
    for (const term of parsed.required) {
      typos += Math.min(...words.map((w) => typosFor(term, w)));
      if (typos === Infinity) break;
    }
    if (typos !== Infinity) scored.push({ text: key, typos, count: doc_count });
  }
  return scored.sort((a, b) => a.typos - b.typos || b.count - a.count || (a.text < b.text ? -1 : 1)).map((s) => s.text);
}
