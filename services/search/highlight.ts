import type { SearchDocument } from "./index.js";
import { fold, termMatches, type QueryTerm } from "./text.js";

const WORD = /[\p{L}\p{N}]+/gu;

/**
 * The highlight of a hit, the same on every engine: the field that matched best (most typed words, then the heavier field) with its matched words
 * in <em></em>. A punctuated run matched as one word ("spiderman" in "Spider-Man") is marked part by part.
 */
export function highlight(doc: SearchDocument, terms: QueryTerm[]): string {
  const wanted = terms.filter((t) => !t.optional);
  if (wanted.length === 0) return "";
  let best = { text: "", matched: 0 };
  for (const text of fieldsByWeight(doc)) {
    const marked = mark(text, wanted);
    if (marked.matched > best.matched) best = marked;
  }
  return best.text;
}

function fieldsByWeight(doc: SearchDocument): string[] {
  return [doc.title, doc.originalTitle, ...doc.cast, doc.director, ...doc.genres, ...doc.keywords, doc.description].filter(Boolean);
}

/** `text` with matching words wrapped, and how many of the typed words it matched. */
function mark(text: string, terms: QueryTerm[]): { text: string; matched: number } {
  const hit = new Set<QueryTerm>();
  const matches = (word: string) => {
    const found = terms.filter((t) => termMatches(t, word));
    for (const t of found) hit.add(t);
    return found.length > 0;
  };
  const out = text.replace(/\S+/g, (chunk) => {
    const words = [...chunk.matchAll(WORD)].map((m) => m[0]);
    const joined = words.length > 1 && matches(fold(words.join("")));
    return chunk.replace(WORD, (word) => (joined || matches(fold(word)) ? `<em>${word}</em>` : word));
  });
  return { text: hit.size > 0 ? out : "", matched: hit.size };
}
