import type pg from "pg";
import type { SearchDocument, Suggestion, SuggestQuery } from "./index.js";
import type { SearchTables } from "./postgres-schema.js";
import { expandTerms, type Expansion } from "./postgres-terms.js";
import { comparable, fold, indexTerms, queryTerms, termMatches } from "./text.js";

/** Titles read to find the people and genres a prefix names (the most popular first). */
const PEOPLE_SCAN = 200;

/**
 * Titles whose title holds every typed word, people (cast, directors) and genres whose name does,
 * taken in turn so each kind gets a place. Only titles under the age cap are read, so a person
 * known only from titles above it never shows.
 */
export async function suggestFrom(pool: pg.Pool, t: SearchTables, query: SuggestQuery): Promise<Suggestion[]> {
  const terms = queryTerms(query.prefix);
  const expansions = (await expandTerms(pool, t, terms)).filter((e) => !e.term.optional);
  if (expansions.length === 0 || expansions.some((e) => e.all.length === 0) || query.limit <= 0) return [];
  const [titles, people] = await Promise.all([
    titleSuggestions(pool, t, query, expansions),
    namedSuggestions(pool, t, query, expansions),
  ]);
  return interleave([titles, people.people, people.genres], query.limit);
}

async function titleSuggestions(pool: pg.Pool, t: SearchTables, query: SuggestQuery, expansions: Expansion[]): Promise<Suggestion[]> {
  const params: unknown[] = [comparable(query.prefix)];
  const where = expansions.map((e) => `title_terms && $${params.push(e.keys)}::text[]`);
  if (query.maxAge !== undefined) where.push(`min_age <= $${params.push(query.maxAge)}`);
  const res = await pool.query(
    `SELECT doc FROM ${t.documents} WHERE ${where.join(" AND ")}
      ORDER BY ($1 = ANY (exact_titles)) DESC, popularity DESC, view_count DESC, average_rating DESC, content_id LIMIT $${params.push(query.limit)}`,
    params,
  );
  return res.rows.map(({ doc }: { doc: SearchDocument }) => ({ kind: "title", text: doc.title, contentId: doc.contentId, thumbnailUrl: doc.thumbnailUrl }));
}

async function namedSuggestions(pool: pg.Pool, t: SearchTables, query: SuggestQuery, expansions: Expansion[]) {
  const params: unknown[] = [];
  const where = expansions.map((e) => {
    const words = `$${params.push(e.keys)}::text[]`;
    return `all_terms && ${words} AND (name_terms && ${words} OR tag_terms && ${words})`;
  });
  if (query.maxAge !== undefined) where.push(`min_age <= $${params.push(query.maxAge)}`);
  const res = await pool.query(
    `SELECT doc->'cast' AS cast, doc->>'director' AS director, doc->'genres' AS genres FROM ${t.documents}
      WHERE ${where.join(" AND ")} ORDER BY popularity DESC, content_id LIMIT ${PEOPLE_SCAN}`,
    params,
  );
  const people = new Map<string, string>();
  const genres = new Map<string, string>();
  const matches = (name: string) => {
    const words = indexTerms(name);
    return expansions.every((e) => words.some((w) => termMatches(e.term, w)));
  };
  for (const row of res.rows as Array<{ cast: string[]; director: string; genres: string[] }>) {
    for (const name of [...row.cast, row.director]) if (name && !people.has(fold(name)) && matches(name)) people.set(fold(name), name);
    for (const genre of row.genres) if (!genres.has(fold(genre)) && matches(genre)) genres.set(fold(genre), genre);
  }
  return {
    people: [...people.values()].map((text): Suggestion => ({ kind: "person", text })),
    genres: [...genres.values()].map((text): Suggestion => ({ kind: "genre", text })),
  };
}

/** One of each kind in turn, until `limit`. */
function interleave(lists: Suggestion[][], limit: number): Suggestion[] {
  const out: Suggestion[] = [];
  for (let i = 0; out.length < limit && lists.some((l) => i < l.length); i++) {
    for (const list of lists) if (i < list.length && out.length < limit) out.push(list[i]!);
  }
  return out;
}
