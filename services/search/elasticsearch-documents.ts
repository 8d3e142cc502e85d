import type { estypes } from "@elastic/elasticsearch";
import type { SearchDocument } from "./index.js";
import { TEXT_FIELDS, exactTitles, fieldValues, phraseValues, type TextField } from "./documents.js";
import { decadeOf, indexTerms, titleLength } from "./text.js";

/**
 * How a title is stored in Elasticsearch. The CI engine has no analysis-common plugin (no
 * asciifolding, no ngrams), so text.ts does all the reading: every searchable field is stored as
 * the keyword list of its index terms, plus the list of every beginning of those terms (the last
 * query word is a prefix, and a fuzzy query on the beginnings is a typo-tolerant prefix match).
 */

/** Searchable fields, strongest first; the weight is what a match in the field adds to the score. */
/** What the index holds for a live title: the document itself plus what text.ts derived from it. */
export interface StoredTitle extends SearchDocument {
  removed: false;
  genreKeys: string[];
  decade?: string;
  people: string[];
  /** comparable() of the title and original title, for the exact-title tier. */
  exact: string[];
  /** Each value's phraseWords joined by spaces, for the phrase tier. */
  phrase: string[];
  /** titleLength() of the title: among equal scores, the shorter title first. */
  titleLength: number;
  terms: Record<TextField, string[]>;
  prefixes: Record<TextField, string[]>;
}

/** What the index holds for a removed title: enough to refuse older writes, found by no query. */
export interface StoredTombstone {
  contentId: string;
  version: number;
  removed: true;
}

export type StoredEntry = StoredTitle | StoredTombstone;

export function storedTitle(doc: SearchDocument): StoredTitle {
  const terms = {} as Record<TextField, string[]>;
  const prefixes = {} as Record<TextField, string[]>;
  for (const { name } of TEXT_FIELDS) {
    terms[name] = [...new Set(fieldValues(doc, name).flatMap(indexTerms))];
    prefixes[name] = beginnings(terms[name]);
  }
  const decade = decadeOf(doc.releaseYear);
  return {
    ...doc,
    removed: false,
    genreKeys: doc.genres.map((g) => g.toLowerCase()),
    ...(decade ? { decade } : {}),
    people: [...new Set([...doc.cast, doc.director].filter((p) => p.trim() !== ""))],
    exact: exactTitles(doc),
    phrase: phraseValues(doc),
    titleLength: titleLength(doc.title),
    terms,
    prefixes,
  };
}

function beginnings(terms: string[]): string[] {
  const out = new Set<string>();
  for (const term of terms) {
    const letters = [...term];
    for (let n = 1; n <= letters.length; n++) out.add(letters.slice(0, n).join(""));
  }
  return [...out];
}

const keyword = { type: "keyword" } as const;
const stored = { type: "keyword", index: false, doc_values: false } as const;

/** Mappings and settings of every concrete index (the first one and each rebuild's). */
export const indexBody = (replicas: number): { settings: estypes.IndicesIndexSettings; mappings: estypes.MappingTypeMapping } => ({
  // One shard: a catalog fits, scores and sequence numbers (rebuild) are then index-wide. Writes
  // wait for a refresh to be searchable; a short interval keeps that wait (and freshness) short.
  settings: { number_of_shards: 1, number_of_replicas: replicas, refresh_interval: "200ms" },
  mappings: {
    dynamic: "strict",
    properties: {
      contentId: keyword,
      version: { type: "long" },
      removed: { type: "boolean" },
      title: stored,
      originalTitle: stored,
      cast: stored,
      director: stored,
      genres: keyword,
      keywords: stored,
      description: { type: "text", index: false },
      type: keyword,
      rating: keyword,
      minAge: { type: "integer" },
      releaseYear: { type: "integer" },
      language: keyword,
      thumbnailUrl: stored,
      popularity: { type: "double" },
      viewCount: { type: "long" },
      averageRating: { type: "double" },
      ratingCount: { type: "long" },
      genreKeys: keyword,
      decade: keyword,
      people: keyword,
      exact: keyword,
      titleLength: { type: "integer" },
      // Pre-normalised words: the built-in whitespace analyzer only needs to split them, and the
      // gap keeps a phrase from running from one value (one cast member) into the next.
      phrase: { type: "text", analyzer: "whitespace", position_increment_gap: 100, norms: false, index_options: "positions" },
      // Every field's words and beginnings are also copied into one field each: the vocabulary a
      // typed word is expanded against (elasticsearch-expand.ts) before the fields are looked up.
      terms: { properties: Object.fromEntries(TEXT_FIELDS.map(({ name }) => [name, { ...keyword, copy_to: "words" }])) },
      prefixes: { properties: Object.fromEntries(TEXT_FIELDS.map(({ name }) => [name, { ...keyword, copy_to: "beginnings" }])) },
      words: keyword,
      beginnings: keyword,
    },
  },
});
