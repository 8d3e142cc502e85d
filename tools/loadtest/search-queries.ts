/**
 * The query mix of the search benchmark, drawn from the titles it indexed: what viewers type
 * when they know what they want, with the mistakes they make. Deterministic for a seed.
 */
export type QueryKind = "exact" | "typo1" | "typo2" | "prefix" | "no-accents" | "no-punctuation" | "cast";

export const QUERY_KINDS: QueryKind[] = ["exact", "typo1", "typo2", "prefix", "no-accents", "no-punctuation", "cast"];

export interface BenchTitle {
  /** The benchmark's own key of the title (its external id). */
  key: string;
  title: string;
  cast: string[];
}

export interface BenchQuery {
  kind: QueryKind;
  text: string;
  /** A hit is any of these titles (cast queries: every title of that person). */
  targets: Set<string>;
}

export function queryMix(titles: BenchTitle[], perKind: number, seed = 1): BenchQuery[] {
  const random = mulberry32(seed);
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)]!;
  const byCast = new Map<string, Set<string>>();
  for (const t of titles) for (const name of t.cast) (byCast.get(name) ?? byCast.set(name, new Set()).get(name)!).add(t.key);
  const exactly = (t: BenchTitle) => new Set([t.key]);
  const accented = titles.filter((t) => t.title.normalize("NFD") !== t.title);
  const punctuated = titles.filter((t) => /[^\p{L}\p{N}\s]/u.test(t.title));
  const longWords = (min: number) => titles.filter((t) => words(t.title).some((w) => letterCount(w) >= min));

  const makers: Record<QueryKind, () => BenchQuery | undefined> = {
    exact: () => {
      const t = pick(titles);
      return { kind: "exact", text: t.title, targets: exactly(t) };
    },
    typo1: () => {
      const t = pick(longWords(5));
      return { kind: "typo1", text: withTypos(t.title, 5, 1, random), targets: exactly(t) };
    },
    typo2: () => {
      const t = pick(longWords(9));
      return { kind: "typo2", text: withTypos(t.title, 9, 2, random), targets: exactly(t) };
    },
    prefix: () => {
      const t = pick(titles.filter((x) => words(x.title).length >= 2));
      const w = words(t.title);
      const last = w[w.length - 1]!;
      return { kind: "prefix", text: [...w.slice(0, -1), last.slice(0, Math.max(1, Math.ceil(last.length / 2)))].join(" "), targets: exactly(t) };
    },
    "no-accents": () => {
      if (accented.length === 0) return undefined;
      const t = pick(accented);
      return { kind: "no-accents", text: t.title.normalize("NFD").replace(/\p{M}/gu, ""), targets: exactly(t) };
    },
    "no-punctuation": () => {
      if (punctuated.length === 0) return undefined;
      const t = pick(punctuated);
      return { kind: "no-punctuation", text: t.title.replace(/[^\p{L}\p{N}\s]+/gu, " ").replace(/\s+/g, " ").trim().toLowerCase(), targets: exactly(t) };
    },
    cast: () => {
      const t = pick(titles.filter((x) => x.cast.length > 0));
      const name = pick(t.cast);
      return { kind: "cast", text: name, targets: byCast.get(name)! };
    },
  };
  const queries: BenchQuery[] = [];
  for (const kind of QUERY_KINDS)
    for (let i = 0; i < perKind; i++) {
      const q = makers[kind]();
      if (q) queries.push(q);
    }
  return queries;
}

const words = (text: string) => text.split(/\s+/).filter(Boolean);
const letterCount = (word: string) => [...word].filter((c) => /\p{L}/u.test(c)).length;

/**
 * `typos` edits (a wrong letter, a doubled one, or two letters swapped) inside one word of at least
 * `minLength` letters, never on its first letter: what a quick typist gets wrong. No dropped
 * letters: the typo budget goes by the length of what was typed, and a shorter word earns less.
 */
function withTypos(title: string, minLength: number, typos: number, random: () => number): string {
  const w = words(title);
  const candidates = w.map((x, i) => ({ x, i })).filter(({ x }) => letterCount(x) >= minLength);
  const { i } = candidates[Math.floor(random() * candidates.length)]!;
  let word = w[i]!;
  const used = new Set<number>();
  for (let n = 0; n < typos; n++) {
    let at: number;
    do at = 1 + Math.floor(random() * (word.length - 2));
    while (used.has(at) || used.has(at - 1) || used.has(at + 1));
    used.add(at);
    const letter = "etaoinsrhl"[Math.floor(random() * 10)]!;
    switch (Math.floor(random() * 3)) {
      case 0:
        word = word.slice(0, at) + (word[at] === letter ? "x" : letter) + word.slice(at + 1);
        break;
      case 1:
        word = word.slice(0, at) + word[at]! + word.slice(at);
        break;
      default:
        word = word.slice(0, at) + word[at + 1]! + word[at]! + word.slice(at + 2);
    }
  }
  w[i] = word;
  return w.join(" ");
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
