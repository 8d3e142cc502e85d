import type { Client, estypes } from "@elastic/elasticsearch";
import { typosFor, type QueryTerm } from "./text.js";

/** Where a looked-up word is stored: whole words, or word beginnings (the last, typed-as-you-go word). */
export type WordColumn = "terms" | "prefixes";

/** The indexed words a typed word stands for: `levels[d]` are reached with d typos (0, 1, 2). */
export type Expansion = Array<Array<{ column: WordColumn; word: string }>>;

/** Suggestions asked per typed word: far more than any word's near neighbours in a catalog's vocabulary. */
const CANDIDATES = 500;

/**
 * Expands the typed words against the index's vocabulary in one request: Elasticsearch's term
 * suggester (Lucene's DirectSpellChecker: one Levenshtein automaton per typed word, over one
 * field holding every field's words, or their beginnings for the last word) proposes the words
 * within reach, and text.ts's `typosFor` decides which match and with how many typos, as it does
 * for the Postgres engine. The query then looks the words up exactly in each field, instead of
 * a fuzzy query per field and typo count, each building its own automaton.
 *
 * A typo budget of 2 also allows one edit on the first letter alone (it costs 2): asked for
 * separately, with no letter fixed.
 */
export async function expandTerms(client: Client, alias: string, terms: readonly QueryTerm[]): Promise<Map<QueryTerm, Expansion>> {
  const suggest: Record<string, estypes.SearchFieldSuggester> = {};
  const asked: Array<{ key: string; term: QueryTerm; column: WordColumn }> = [];
  const found = new Map<QueryTerm, Map<string, WordColumn>>(terms.map((t) => [t, new Map()]));
  for (const term of terms) {
    for (const typed of [term, ...(term.joined ? [term.joined] : [])]) {
      const column: WordColumn = typed.prefix ? "prefixes" : "terms";
      found.get(term)!.set(`${column}:${typed.text}`, column);
      const ask = (prefixLength: number, maxEdits: number) => {
        const key = `w${asked.length}`;
        asked.push({ key, term, column });
        suggest[key] = {
          text: typed.text,
          term: {
            field: column === "prefixes" ? "beginnings" : "words",
            max_edits: maxEdits,
            prefix_length: prefixLength,
            size: CANDIDATES,
            suggest_mode: "always",
            // How similar a candidate must be (Lucene's own score); typosFor decides instead.
            ...({ accuracy: 0 } as object),
            min_word_length: 1,
            // An absolute count: suggest for a typed word however common it is.
            max_term_freq: 2_147_483_647,
          },
        };
      };
      if (typed.typos >= 1) ask(1, typed.typos);
      if (typed.typos >= 2) ask(0, 1);
    }
  }
  if (asked.length > 0) {
    const response = await client.search({ index: alias, size: 0, suggest: suggest as estypes.SearchSuggester });
    for (const { key, term, column } of asked) {
      for (const entry of response.suggest?.[key] ?? []) {
        const options = Array.isArray(entry.options) ? entry.options : [entry.options];
        for (const option of options) found.get(term)!.set(`${column}:${option.text}`, column);
      }
    }
  }
  const expansions = new Map<QueryTerm, Expansion>();
  for (const term of terms) {
    const levels: Expansion = [[], [], []];
    for (const [key, column] of found.get(term)!) {
      const word = key.slice(column.length + 1);
      const typos = typosFor(term, word);
      if (typos !== Infinity) levels[typos]!.push({ column, word });
    }
    expansions.set(term, levels);
  }
  return expansions;
}
