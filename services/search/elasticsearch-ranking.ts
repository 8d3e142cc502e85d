import type { QueryTerm } from "./text.js";
import { comparable, queryTerms, typosFor } from "./text.js";
import { TEXT_FIELDS, type TextField } from "./documents.js";
import type { StoredTitle } from "./elasticsearch-documents.js";

/**
 * The ranking tiers as one integer score, so Elasticsearch can sort by it (constant-score clauses
 * whose boosts add up to exactly this) and TS can recompute it on the returned window:
 * exact title > fewer typos > phrase > field weights; popularity, views and rating break ties.
 * Each tier's unit is larger than everything the tiers below it can add up to.
 */
export const MAX_TERMS = 16;
const FIELD_MAX = 4 * (MAX_TERMS + 1);
export const PHRASE_BONUS = FIELD_MAX + 1;
/** Per required term: (2 - typos) of these, plus the weight of the field it matched best. */
export const TYPO_UNIT = PHRASE_BONUS + FIELD_MAX + 1;
export const EXACT_BONUS = TYPO_UNIT * 2 * MAX_TERMS + PHRASE_BONUS + FIELD_MAX + 1;

export interface ParsedQuery {
  terms: QueryTerm[];
  required: QueryTerm[];
  optional: QueryTerm[];
  /** comparable() of the whole query, for the exact-title tier. */
  exact: string;
  /** The required words in order, when there are two or more (a phrase of one word is no tier). */
  phrase: string[];
  phrasePrefix: boolean;
}

export function parseQuery(text: string): ParsedQuery {
  const terms = queryTerms(text).slice(0, MAX_TERMS);
  const required = terms.filter((t) => !t.optional);
  return {
    terms,
    required,
    optional: terms.filter((t) => t.optional),
    exact: comparable(text),
    phrase: required.length >= 2 ? required.map((t) => t.text) : [],
    phrasePrefix: required.at(-1)?.prefix ?? false,
  };
}

/** Best contribution of one required term over the given fields; null when it matches none. */
export function termScore(term: QueryTerm, title: Pick<StoredTitle, "terms">, fields: readonly TextField[] = ALL_FIELDS): number | null {
  let best: number | null = null;
  for (const { name, weight } of TEXT_FIELDS) {
    if (!fields.includes(name)) continue;
    for (const word of title.terms[name] ?? []) {
      const typos = typosFor(term, word);
      if (typos === Infinity) continue;
      const value = (2 - typos) * TYPO_UNIT + weight;
      if (best === null || value > best) best = value;
    }
  }
  return best;
}

const ALL_FIELDS = TEXT_FIELDS.map((f) => f.name);

/** The score of a stored title for a query, or null when it does not match (every required term must). */
export function scoreTitle(query: ParsedQuery, title: StoredTitle, fields: readonly TextField[] = ALL_FIELDS): number | null {
  let score = 0;
  for (const term of query.required) {
    const value = termScore(term, title, fields);
    if (value === null) return null;
    score += value;
  }
  for (const term of query.optional) {
    const weights = TEXT_FIELDS.filter(({ name }) => fields.includes(name) && title.terms[name]?.includes(term.text)).map((f) => f.weight);
    score += weights.length ? Math.max(...weights) : 0;
  }
  if (query.exact !== "" && title.exact.includes(query.exact)) score += EXACT_BONUS;
  if (query.phrase.length > 0 && title.phrase.some((value) => containsPhrase(value.split(" "), query.phrase, query.phrasePrefix))) score += PHRASE_BONUS;
  return score;
}

function containsPhrase(words: string[], phrase: string[], lastIsPrefix: boolean): boolean {
  for (let start = 0; start + phrase.length <= words.length; start++) {
    const ok = phrase.every((p, i) => (i === phrase.length - 1 && lastIsPrefix ? words[start + i]!.startsWith(p) : words[start + i] === p));
    if (ok) return true;
  }
  return false;
}
