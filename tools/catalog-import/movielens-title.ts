/**
 * MovieLens writes a title as `Matrix, The (1999)`: the leading article moved behind a comma so
 * lists sort by the first significant word, alternative titles in parentheses
 * (`City of Lost Children, The (Cité des enfants perdus, La) (1995)`, `Seven (a.k.a. Se7en) (1995)`)
 * and the release year last. A viewer expects to read "The Matrix", so the article goes back in
 * front; the first alternative is the original-language title, `a.k.a.` ones are other names.
 */
export interface MovieLensTitle {
  title: string;
  /** "" when the title has no original-language form. */
  originalTitle: string;
  /** Other names the title is known by (`a.k.a.` and any further alternatives). */
  alsoKnownAs: string[];
  releaseYear: number;
}

export type TitleParse = { ok: true; value: MovieLensTitle } | { ok: false; reason: string };

/** Articles MovieLens moves to the end, in the languages its titles come in. */
const TRAILING_ARTICLES = new Set([
  "the", "a", "an", // English
  "la", "le", "les", "l'", "un", "une", // French
  "el", "los", "las", "una", "lo", // Spanish
  "il", "gli", "i", "uno", // Italian
  "der", "die", "das", "ein", "eine", // German
  "de", "het", "den", "det", // Dutch, Scandinavian
  "o", "os", "as", // Portuguese
]);

export function parseMovieLensTitle(raw: string): TitleParse {
  let rest = raw.replace(/\s+/g, " ").trim();
  const year = rest.match(/^(.*?) ?\((\d{4})(?: ?[-–] ?(?:\d{4})?)?\)$/);
  let releaseYear: number;
  if (year !== null) {
    rest = year[1].trim();
    releaseYear = Number(year[2]);
    if (releaseYear < 1870 || releaseYear > 2100) return { ok: false, reason: `release year ${releaseYear} is not between 1870 and 2100` };
  } else {
    const last = rest.match(/\(([^()]*)\)$/);
    if (last !== null && /^\s*\d/.test(last[1])) return { ok: false, reason: `unparseable release year "(${last[1]})"` };
    return { ok: false, reason: "no release year (the catalog requires one)" };
  }

  const alternatives: string[] = [];
  for (let m = rest.match(/^(.+?) ?\(([^()]+)\)$/); m !== null; m = rest.match(/^(.+?) ?\(([^()]+)\)$/)) {
    alternatives.unshift(m[2].trim());
    rest = m[1].trim();
  }
  const title = articleInFront(rest);
  if (title === "") return { ok: false, reason: "no title" };

  let originalTitle = "";
  const alsoKnownAs: string[] = [];
  for (const alt of alternatives) {
    const aka = alt.match(/^a\.?k\.?a\.? (.+)$/i);
    const name = articleInFront(aka === null ? alt : aka[1]);
    if (name === "" || name === title || name === originalTitle || alsoKnownAs.includes(name)) continue;
    if (aka === null && originalTitle === "") originalTitle = name;
    else alsoKnownAs.push(name);
  }
  return { ok: true, value: { title, originalTitle, alsoKnownAs, releaseYear } };
}

/** `Matrix, The` → `The Matrix`; `Armée des ombres, L'` → `L'Armée des ombres`; anything else unchanged. */
export function articleInFront(name: string): string {
  const m = name.match(/^(.+), ([\p{L}']+)$/u);
  if (m === null || !TRAILING_ARTICLES.has(m[2].toLowerCase())) return name;
  return m[2].endsWith("'") ? `${m[2]}${m[1]}` : `${m[2]} ${m[1]}`;
}

/** The inverse, for writing MovieLens files: `The Matrix` → `Matrix, The`. */
export function articleBehind(name: string): string {
  const apostrophe = name.match(/^([\p{L}]+')(\p{L}.*)$/u);
  if (apostrophe !== null && TRAILING_ARTICLES.has(apostrophe[1].toLowerCase())) return `${apostrophe[2]}, ${apostrophe[1]}`;
  const m = name.match(/^([\p{L}]+) (.+)$/u);
  if (m === null || !TRAILING_ARTICLES.has(m[1].toLowerCase()) || m[1].length === 1 && m[1] !== "A") return name;
  return `${m[2]}, ${m[1]}`;
}
