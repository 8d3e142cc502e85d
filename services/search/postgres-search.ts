import type pg from "pg";
import { TEXT_FIELDS, searchHit, type TextField } from "./documents.js";
import type { FacetCount, FacetField, SearchDocument, SearchFilters, SearchHit, SearchPage, SearchQuery } from "./index.js";
import { highlight } from "./highlight.js";
import type { SearchTables } from "./postgres-schema.js";
import { expandTerms, type Expansion } from "./postgres-terms.js";
import { comparable, queryTerms } from "./text.js";

/** The weights of the term columns, from TEXT_FIELDS: names are the original title, cast and director, tags the genres and keywords. */
const weightOf = (field: TextField) => TEXT_FIELDS.find((f) => f.name === field)!.weight;
const WEIGHT = { title: weightOf("title"), names: weightOf("cast"), tags: weightOf("genres"), description: weightOf("description") } as const;

/** Terms matching more than this many words are left out of the phrase check but for their prefix. */
const PHRASE_WORDS = 50;

/**
 * One round trip: the matching set (every typed word but a leading article matches some word of
 * some field, under the filters) is materialised once, and the page, the total and the facets are
 * all read from it, so they always agree.
 *
 * Order: exact title, fewer typos, the words as a phrase in one value (the title, a name…), heavier
 * fields, a shorter title, then popularity, views and average rating.
 */
export async function searchDocuments(pool: pg.Pool, t: SearchTables, query: SearchQuery): Promise<SearchPage> {
  const terms = queryTerms(query.text);
  const expansions = await expandTerms(pool, t, terms);
  const required = expansions.filter((e) => !e.term.optional);
  if (required.some((e) => e.all.length === 0)) return { hits: [], total: 0, facets: {} };

  const params: unknown[] = [];
  const p = (value: unknown, cast = "") => `$${params.push(value)}${cast}`;
  const where = [...filterSql(query.filters, p), ...required.map((e) => `all_terms && ${p(e.keys, "::text[]")}`)];
  const rank = rankSql(query.text, expansions, required, p);
  const order = `exact DESC, typos, phrase DESC, weight DESC, length, popularity DESC, view_count DESC, average_rating DESC, content_id`;
  const sql = `
    WITH m AS MATERIALIZED (
      SELECT content_id, genres, type, release_year, rating, language, popularity, view_count, average_rating,
             ${rank.exact} AS exact, ${rank.typos} AS typos, ${rank.phrase} AS phrase, ${rank.weight} AS weight, ${rank.length} AS length
        FROM ${t.documents} WHERE ${where.length > 0 ? where.join(" AND ") : "true"}
    ), page AS (
      SELECT *, row_number() OVER (ORDER BY ${order}) AS ord FROM m ORDER BY ${order} LIMIT ${p(query.limit)} OFFSET ${p(query.offset)}
    )
    SELECT (SELECT count(*)::int FROM m) AS total,
      (SELECT coalesce(json_agg(json_build_object('doc', d.doc, 'exact', page.exact, 'typos', page.typos, 'phrase', page.phrase, 'weight', page.weight) ORDER BY page.ord), '[]')
         FROM page JOIN ${t.documents} d USING (content_id)) AS hits,
      (SELECT coalesce(json_agg(f), '[]') FROM (
         SELECT 'genres' AS field, g AS value, count(*)::int AS count FROM m, unnest(m.genres) AS g GROUP BY g
         UNION ALL SELECT 'type', type, count(*)::int FROM m GROUP BY type
         UNION ALL SELECT 'decade', (release_year / 10 * 10)::text || 's', count(*)::int FROM m WHERE release_year > 0 GROUP BY 2
         UNION ALL SELECT 'rating', rating, count(*)::int FROM m GROUP BY rating
         UNION ALL SELECT 'language', language, count(*)::int FROM m WHERE language <> '' GROUP BY language
      ) f) AS facets`;
  const res = await pool.query(sql, params);
  const row = res.rows[0];
  return {
    total: row.total,
    hits: (row.hits as RankedRow[]).map((h) => toHit(h, terms)),
    facets: facetsOf(row.facets as Array<{ field: FacetField } & FacetCount>),
  };
}

type Param = (value: unknown, cast?: string) => string;

export function filterSql(filters: SearchFilters, p: Param): string[] {
  const where: string[] = [];
  if (filters.genres && filters.genres.length > 0) where.push(`genres_lc && ${p(filters.genres.map((g) => g.toLowerCase()), "::text[]")}`);
  if (filters.type !== undefined) where.push(`type = ${p(filters.type)}`);
  if (filters.yearFrom !== undefined) where.push(`release_year >= ${p(filters.yearFrom)}`);
  if (filters.yearTo !== undefined) where.push(`release_year <= ${p(filters.yearTo)}`);
  if (filters.maxAge !== undefined) where.push(`min_age <= ${p(filters.maxAge)}`);
  if (filters.language !== undefined && filters.language !== "") where.push(`language = ${p(filters.language)}`);
  return where;
}

function rankSql(text: string, all: Expansion[], required: Expansion[], p: Param) {
  if (required.length === 0) return { exact: "0", typos: "0", phrase: "0", weight: "0", length: "0" };
  const sum = (parts: string[]) => `(${parts.join(" + ")})`;
  return {
    exact: `(${p(comparable(text))} = ANY (exact_titles))::int`,
    typos: sum(required.map((e) => typosSql(e, p))),
    phrase: `(phrase_words ~ ${p(phrasePattern(all))})::int`,
    length: "title_length",
    weight: sum(
      required.map((e) => {
        const words = p(e.keys, "::text[]");
        return `CASE WHEN title_terms && ${words} THEN ${WEIGHT.title} WHEN name_terms && ${words} THEN ${WEIGHT.names} WHEN tag_terms && ${words} THEN ${WEIGHT.tags} ELSE ${WEIGHT.description} END`;
      }),
    ),
  };
}

/** The fewest typos with which the title's fields hold the word (its words reached with 0, 1, 2 typos). */
function typosSql(e: Expansion, p: Param): string {
  if (e.keys !== e.all) return "0";
  const steps = e.words.map((words, typos) => ({ words, typos })).filter((s) => s.words.length > 0);
  if (steps.length === 1) return String(steps[0]!.typos);
  const cases = steps.slice(0, -1).map((s) => `WHEN all_terms && ${p(s.words, "::text[]")} THEN ${s.typos}`);
  return `CASE ${cases.join(" ")} ELSE ${steps.at(-1)!.typos} END`;
}

/** A regular expression for the typed words in a row within one value of phrase_words. */
function phrasePattern(expansions: Expansion[]): string {
  const parts = expansions
    .filter((e) => e.all.length > 0 || !e.term.optional)
    .map((e) => {
      if (e.all.length > PHRASE_WORDS && e.term.prefix) return `${escapeRegex(e.term.text)}[^ ]*`;
      const words = e.all.length > 0 ? e.all.slice(0, PHRASE_WORDS) : [e.term.text];
      return `(?:${words.map(escapeRegex).join("|")})`;
    });
  return `(?:^| )${parts.join(" ")}(?: |$)`;
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

interface RankedRow {
  doc: SearchDocument;
  exact: number;
  typos: number;
  phrase: number;
  weight: number;
}

function toHit(row: RankedRow, terms: ReturnType<typeof queryTerms>): SearchHit {
  // The tiers of the order as one number, heaviest first (typos count down from 9).
  const score = ((row.exact * 10 + (9 - row.typos)) * 10 + row.phrase) * 100 + row.weight;
  return searchHit(row.doc, score, highlight(row.doc, terms));
}

function facetsOf(rows: Array<{ field: FacetField } & FacetCount>): SearchPage["facets"] {
  const facets: SearchPage["facets"] = {};
  for (const { field, value, count } of rows) (facets[field] ??= []).push({ value, count });
  for (const counts of Object.values(facets)) counts.sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  return facets;
}
