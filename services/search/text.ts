/**
 * How search reads text, the same for every engine: accents and ligatures folded, case ignored,
 * punctuation and hyphens as word breaks (with the joined spelling indexed too, so "spider man"
 * and "spiderman" both find "Spider-Man"), "Title, The" read as "The Title", and the typo budget
 * of a word (none up to 4 letters, one for 5-8, two from 9; a typo on the first letter counts
 * double).
 */

/** Articles a title may start with, or carry at its end after a comma ("Matrix, The"). */
const ARTICLES = new Set(["the", "a", "an", "le", "la", "les", "l", "el", "los", "las", "il", "lo", "gli", "der", "die", "das", "de", "het", "een"]);

const ROMAN = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"];

/** Letters NFKD does not decompose, spelled as a viewer without the key would type them. */
const SPELLED: Record<string, string> = { ß: "ss", æ: "ae", œ: "oe", ø: "o", ł: "l", đ: "d", ð: "d", þ: "th", ı: "i" };

const WORD_BREAK = /[^\p{L}\p{N}]+/u;
const APOSTROPHES = /['’ʼ`´]/g;
const APOSTROPHE = /['’ʼ`´]/;

/** Lower case, accents and ligatures folded: "Amélie" → "amelie", "Straße" → "strasse", "ﬁlm" → "film". */
export function fold(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[ßæœøłđðþı]/g, (c) => SPELLED[c] ?? c);
}

/** "Matrix, The" → "The Matrix"; "Auberge espagnole, L'" → "L'Auberge espagnole"; other titles unchanged. */
export function titleForm(title: string): string {
  const m = /^(.+?),\s*([\p{L}]+['’]?)\s*$/u.exec(title.trim());
  if (!m || !ARTICLES.has(fold(m[2]!).replace(APOSTROPHES, ""))) return title.trim();
  const article = m[2]!;
  return /['’]$/.test(article) ? `${article}${m[1]}` : `${article} ${m[1]}`;
}

/** The words of a text as the index stores them: parts, the joined spelling of punctuated runs, and roman numerals as digits (and back). */
export function indexTerms(text: string): string[] {
  const terms = new Set<string>();
  for (const chunk of fold(titleForm(text)).split(/\s+/)) {
    const parts = chunk.split(WORD_BREAK).filter(Boolean);
    for (const part of parts) {
      terms.add(part);
      const numeral = ROMAN.indexOf(part);
      if (numeral >= 0) terms.add(String(numeral + 1));
      const digit = Number(part);
      if (Number.isInteger(digit) && digit >= 1 && digit <= ROMAN.length && String(digit) === part) terms.add(ROMAN[digit - 1]!);
    }
    if (parts.length > 1) terms.add(parts.join(""));
  }
  return [...terms];
}

/** The words of a text in order, one per word as the viewer wrote it (for phrase and exact-title checks). */
export function phraseWords(text: string): string[] {
  return fold(titleForm(text)).split(/\s+/).flatMap(chunkParts);
}

/** Words in a title, for the tier that puts a shorter title first when the typed words match equally well. */
export function titleLength(title: string): number {
  return phraseWords(title).length;
}

/** `text` as one comparable string: folded words joined by single spaces, leading article dropped. */
export function comparable(text: string): string {
  const words = phraseWords(text);
  return (words.length > 1 && ARTICLES.has(words[0]!) ? words.slice(1) : words).join(" ");
}

export interface QueryTerm {
  /** Folded word. */
  text: string;
  /** The last word of the query: matches any indexed word it begins (search as you type). */
  prefix: boolean;
  /** Typos this word may carry (typoBudget). */
  typos: number;
  /** A leading article: matched when present, never required. */
  optional: boolean;
  /**
   * A part of a punctuated word as typed ("spdier-mat"): the whole run joined ("spdiermat"), which
   * the part may match instead. The index holds the joined spelling of punctuated words too, so a
   * typo next to the punctuation, or in a part too short for typos of its own, still finds
   * "Spider-Man" within the joined word's budget.
   */
  joined?: QueryTerm;
}

/** What a query asks for, word by word: every word but a leading article must match. */
export function queryTerms(query: string): QueryTerm[] {
  const chunks = fold(titleForm(query)).split(/\s+/).filter((chunk) => chunk.split(WORD_BREAK).some(Boolean));
  const count = chunks.reduce((n, chunk) => n + chunkParts(chunk).length, 0);
  const endsTyping = !/\s$/.test(query);
  const terms: QueryTerm[] = [];
  chunks.forEach((chunk, c) => {
    const parts = chunkParts(chunk);
    const lastChunk = c === chunks.length - 1;
    const whole = parts.join("");
    const joined = parts.length > 1 ? { text: whole, prefix: lastChunk && endsTyping, typos: typoBudget(whole), optional: false } : undefined;
    parts.forEach((text, k) => {
      const i = terms.length;
      terms.push({
        text,
        prefix: lastChunk && k === parts.length - 1 && endsTyping,
        typos: typoBudget(text),
        optional: i === 0 && count > 1 && ARTICLES.has(text),
        ...(joined ? { joined } : {}),
      });
    });
  });
  return terms;
}

/** A whitespace-separated chunk's words, as phraseWords reads them. */
function chunkParts(chunk: string): string[] {
  return (isApostropheOnly(chunk) ? [chunk.replace(APOSTROPHES, "")] : chunk.split(WORD_BREAK)).filter(Boolean);
}

/** Typos a typed word may carry: none up to 4 letters, one for 5-8, two from 9. */
export function typoBudget(word: string): number {
  const letters = [...word].length;
  return letters <= 4 ? 0 : letters <= 8 ? 1 : 2;
}

/**
 * Edits (insert, delete, substitute, swap two neighbours) that turn `typed` into `word`, where an
 * edit that touches the first letter costs 2; `max + 1` as soon as it is certain to exceed `max`.
 * With `prefix`, the distance to the closest beginning of `word` (search as you type).
 */
export function typoDistance(typed: string, word: string, max: number, prefix = false): number {
  const a = [...typed];
  const b = [...word];
  if (!prefix && Math.abs(a.length - b.length) > max) return max + 1;
  const cost = (i: number) => (i === 1 ? 2 : 1);
  // Three rows of the optimal-string-alignment table: i-2, i-1, i.
  let before = new Array<number>(b.length + 1).fill(0);
  let previous = new Array<number>(b.length + 1).fill(0);
  for (let j = 1; j <= b.length; j++) previous[j] = previous[j - 1]! + cost(j);
  for (let i = 1; i <= a.length; i++) {
    const row = new Array<number>(b.length + 1);
    row[0] = previous[0]! + cost(i);
    let best = prefix ? Infinity : row[0];
    for (let j = 1; j <= b.length; j++) {
      const first = i === 1 || j === 1;
      let d = Math.min(
        previous[j]! + cost(i),
        row[j - 1]! + cost(j),
        previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : first ? 2 : 1),
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, before[j - 2]! + (i === 2 || j === 2 ? 2 : 1));
      row[j] = d;
      best = Math.min(best, d);
    }
    if (best > max) return max + 1;
    before = previous;
    previous = row;
  }
  const result = prefix ? Math.min(...previous.slice(1)) : previous[b.length]!;
  return Math.min(result, max + 1);
}

/**
 * Typos `term` needs to match the indexed `word` (0 for an exact or prefix match; the fewer of its
 * own and its joined spelling's); Infinity when beyond the budget.
 */
export function typosFor(term: QueryTerm, word: string): number {
  const own = ownTyposFor(term, word);
  return term.joined && own > 0 ? Math.min(own, ownTyposFor(term.joined, word)) : own;
}

function ownTyposFor(term: QueryTerm, word: string): number {
  if (term.prefix ? word.startsWith(term.text) : word === term.text) return 0;
  if (term.typos === 0) return Infinity;
  const d = typoDistance(term.text, word, term.typos, term.prefix);
  return d <= term.typos ? d : Infinity;
}

/** True when `term` matches the indexed `word` within its typo budget (as a prefix for the last word). */
export function termMatches(term: QueryTerm, word: string): boolean {
  return typosFor(term, word) !== Infinity;
}

/** "1990s" for 1994; "" when the year is unknown. */
export function decadeOf(year: number): string {
  return year > 0 ? `${Math.floor(year / 10) * 10}s` : "";
}

/** "ocean's": a word with an apostrophe and no other break, which viewers type without it ("oceans"). */
function isApostropheOnly(chunk: string): boolean {
  return APOSTROPHE.test(chunk) && chunk.replace(APOSTROPHES, "").split(WORD_BREAK).filter(Boolean).length === 1;
}
