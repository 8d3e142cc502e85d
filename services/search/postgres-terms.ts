import type pg from "pg";
import { PREFIX_KEY, PREFIX_KEY_LENGTH } from "./postgres-rows.js";
import type { SearchTables } from "./postgres-schema.js";
import { typosFor, type QueryTerm } from "./text.js";

/** The indexed words a typed word stands for, by the typos it takes to reach them. */
export interface Expansion {
  term: QueryTerm;
  /** words[d]: indexed words reached with d typos (0, 1, 2). */
  words: string[][];
  all: string[];
  /** What a document's term arrays are compared with: `all`, or the one prefix key that stands for it. */
  keys: string[];
}

/**
 * Expands each typed word to the vocabulary words it matches. The database narrows the vocabulary
 * to plausible candidates (same first letter and a length window within a loose edit distance, or
 * one edit on the first letter, or the prefix; for a part of a punctuated word, the same for the
 * joined word), and text.ts's `typosFor` decides, so both engines agree on what matches exactly.
 */
export async function expandTerms(db: pg.Pool | pg.ClientBase, t: SearchTables, terms: QueryTerm[], vocabulary = t.vocabulary): Promise<Expansion[]> {
  if (terms.length === 0) return [];
  const params: unknown[] = [];
  const parts = terms.flatMap((term, i) => [term, ...(term.joined ? [term.joined] : [])].map((typed) => candidateSql(typed, i, vocabulary, t.levenshtein, params)));
  const res = await db.query(parts.join("\nUNION ALL\n"), params);
  const found = terms.map(() => new Set<string>());
  for (const r of res.rows) found[r.i]!.add(r.term);
  return terms.map((term, i) => {
    const words: string[][] = [[], [], []];
    for (const word of found[i]!) {
      const typos = typosFor(term, word);
      if (typos !== Infinity) words[typos]!.push(word);
    }
    for (const w of words) w.sort();
    const all = words.flat();
    const short = term.prefix && term.typos === 0 && [...term.text].length <= PREFIX_KEY_LENGTH;
    // The key stands for the words the prefix begins; those only the joined word reaches go beside it.
    const keys = short && all.length > 0 ? [term.text + PREFIX_KEY, ...all.filter((w) => !w.startsWith(term.text))] : all;
    return { term, words, all, keys };
  });
}

/** fuzzystrmatch refuses longer strings; no typed word is that long. */
const MAX_LEVENSHTEIN = 255;

function candidateSql(term: QueryTerm, i: number, vocabulary: string, levenshtein: string, params: unknown[]): string {
  const p = (value: unknown) => `$${params.push(value)}`;
  const chars = [...term.text];
  const n = chars.length;
  const b = term.typos;
  const like = (s: string) => p(`${escapeLike(s)}%`);
  const eqOrPrefix = (column: string, s: string) => (term.prefix ? `${column} LIKE ${like(s)}` : `${column} = ${p(s)}`);
  const ors = [eqOrPrefix("term", term.text)];
  if (b > 0 && n <= MAX_LEVENSHTEIN) {
    // Same first letter: Levenshtein counts a swap of neighbours as 2, so 2b bounds our distance.
    const text = p(term.text);
    const bound = 2 * b;
    if (term.prefix) {
      const lens = Array.from({ length: 2 * b + 1 }, (_, k) => n - b + k).filter((k) => k > 0);
      const dist = `LEAST(${lens.map((k) => `${levenshtein}(left(term, ${k}), ${text}, ${bound})`).join(", ")})`;
      ors.push(`(first = ${p(chars[0])} AND len >= ${n - b} AND len <= ${MAX_LEVENSHTEIN} AND ${dist} <= ${bound})`);
    } else {
      ors.push(`(first = ${p(chars[0])} AND len BETWEEN ${n - b} AND ${Math.min(n + b, MAX_LEVENSHTEIN)} AND ${levenshtein}(term, ${text}, ${bound}) <= ${bound})`);
    }
  }
  if (b >= 2) {
    // A typo on the first letter costs 2, so the rest must be as typed: substitute, drop, insert, swap.
    const rest = chars.slice(1).join("");
    ors.push(eqOrPrefix("substr(term, 2)", rest), eqOrPrefix("term", rest), eqOrPrefix("substr(term, 2)", term.text));
    if (n >= 2) ors.push(eqOrPrefix("term", chars[1]! + chars[0]! + chars.slice(2).join("")));
  }
  return `SELECT ${i} AS i, term FROM ${vocabulary} WHERE ${ors.map((o) => `(${o})`).join(" OR ")}`;
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}
