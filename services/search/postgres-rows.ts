import { exactTitles, phraseValues } from "./documents.js";
import type { SearchDocument } from "./index.js";
import { indexTerms, titleLength } from "./text.js";
import { DOCUMENT_COLUMNS } from "./postgres-schema.js";

/**
 * A document as a row: the words of each field weight (title; original title, cast and director;
 * genres and keywords; description) as text.ts indexes them, so the database only compares words.
 */
export function documentRow(doc: SearchDocument): unknown[] {
  const title = withPrefixKeys(indexTerms(doc.title));
  const names = withPrefixKeys(terms([doc.originalTitle, ...doc.cast, doc.director]));
  const tags = withPrefixKeys(terms([...doc.genres, ...doc.keywords]));
  const description = withPrefixKeys(indexTerms(doc.description));
  const row: Record<(typeof DOCUMENT_COLUMNS)[number], unknown> = {
    content_id: doc.contentId,
    version: doc.version,
    doc: JSON.stringify(doc),
    title_terms: title,
    name_terms: names,
    tag_terms: tags,
    description_terms: description,
    all_terms: [...new Set([...title, ...names, ...tags, ...description])],
    exact_titles: exactTitles(doc),
    phrase_words: phraseValues(doc).join(PHRASE_GAP),
    title_length: titleLength(doc.title),
    type: doc.type,
    min_age: doc.minAge,
    release_year: doc.releaseYear,
    language: doc.language,
    rating: doc.rating,
    genres: doc.genres,
    genres_lc: doc.genres.map((g) => g.toLowerCase()),
    popularity: doc.popularity,
    view_count: doc.viewCount,
    average_rating: doc.averageRating,
  };
  return DOCUMENT_COLUMNS.map((c) => row[c]);
}

/** Words of a row (prefix keys left out), sorted so concurrent vocabulary inserts take their locks in one order (no deadlocks). */
export function rowTerms(row: unknown[]): string[] {
  return (row[DOCUMENT_COLUMNS.indexOf("all_terms")] as string[]).filter((t) => !t.endsWith(PREFIX_KEY)).sort();
}

/** Between two values in phrase_words: not a word, so no phrase runs from one value (one cast member) into the next. */
const PHRASE_GAP = " | ";

/** Marks a prefix key; never part of an indexed word, which holds letters and digits only. */
export const PREFIX_KEY = "*";
/** Prefixes up to this length are stored as keys ("s*", "st*", "sta*"). */
export const PREFIX_KEY_LENGTH = 3;

/**
 * The words plus a key for each of their first 1-3 letters, so a short typed prefix ("s") is one
 * key to look up instead of the thousands of words it begins.
 */
function withPrefixKeys(words: string[]): string[] {
  const out = new Set(words);
  for (const w of words) {
    const chars = [...w];
    for (let k = 1; k <= Math.min(PREFIX_KEY_LENGTH, chars.length); k++) out.add(chars.slice(0, k).join("") + PREFIX_KEY);
  }
  return [...out];
}

function terms(texts: string[]): string[] {
  return [...new Set(texts.flatMap((t) => indexTerms(t)))];
}

/** `$1, $2, …` for the document columns, `seq` last, from parameter `start` on. */
export function documentPlaceholders(start: number, seq: string): string {
  return [...DOCUMENT_COLUMNS.map((c, i) => `$${start + i}${c === "doc" ? "::jsonb" : ""}`), seq].join(", ");
}

export const INSERT_COLUMNS = [...DOCUMENT_COLUMNS, "seq"].join(", ");

/** `SET col = EXCLUDED.col` for every column but the key. */
export const UPDATE_FROM_EXCLUDED = [...DOCUMENT_COLUMNS, "seq"]
  .filter((c) => c !== "content_id")
  .map((c) => `${c} = EXCLUDED.${c}`)
  .join(", ");
