import type { CatalogSeason, CatalogTitle, ContentKind, ExternalIdRef, Rating } from "./catalog-title.js";
import { Random } from "./random.js";
import * as W from "./word-pools.js";

export interface GenerateOptions {
  /** How many titles (movies and shows together). */
  titles: number;
  /** Same seed, same catalog, on every machine. */
  seed: number;
  /** Share of TV shows; 0.2 by default. */
  tvShare?: number;
  /** Seasons per show are 1..this (3 by default); episodes per season 3..maxEpisodes (8 by default). */
  maxSeasons?: number;
  maxEpisodes?: number;
}

/**
 * A synthetic catalog that looks like a real one to a search engine: multi-word titles with
 * accents (Amélie, Montréal), punctuation (Spider-Man-like hyphens, WALL·E-like interpuncts,
 * colons, apostrophes, "&"), numbers and sequels (2, II, Part III), leading articles in several
 * languages, original-language titles (other scripts too), series with seasons and episodes, and
 * cast and directors drawn from a pool of accented names in which a few people appear often.
 * Titles are unique even after folding case, accents and punctuation, so a search has one right answer.
 */
export function generateCatalog(opts: GenerateOptions): CatalogTitle[] {
  const rnd = new Random(opts.seed);
  const people = personPool(rnd, 3000);
  const directors = personPool(rnd, 600);
  const idBase = opts.seed * 1_000_000;
  const taken = new Set<string>();
  const titles: CatalogTitle[] = [];
  const movies: CatalogTitle[] = [];
  const sequelsOf = new Map<CatalogTitle, number>();
  /** A sequel's first film: sequels of sequels are numbered from it ("X 3", not "X 2 II"). */
  const rootOf = new Map<CatalogTitle, CatalogTitle>();

  for (let n = 0; n < opts.titles; n++) {
    const type: ContentKind = rnd.chance(opts.tvShare ?? 0.2) ? "TV_SHOW" : "MOVIE";
    const language = rnd.weighted(W.LANGUAGES);
    const picked = type === "MOVIE" && movies.length > 20 && rnd.chance(0.06) ? movies[rnd.skewedIndex(movies.length, 1)] : undefined;
    let base = picked === undefined ? undefined : (rootOf.get(picked) ?? picked);

    let name = "";
    let originalTitle = "";
    let releaseYear = year(rnd);
    for (let attempt = 0; ; attempt++) {
      if (attempt === 1) base = undefined; // the sequel's name was taken: an original title instead
      if (base !== undefined) {
        const count = (sequelsOf.get(base) ?? 0) + 1;
        name = sequelName(rnd, base.title, count);
        releaseYear = Math.min(2025, base.releaseYear + rnd.int(2, 4) * count);
      } else {
        [name, originalTitle] = titleIn(rnd, language);
      }
      if (attempt > 40) name = `${name} ${rnd.pick(W.PLACES)} ${n}`;
      if (!taken.has(foldTitle(name))) break;
    }
    taken.add(foldTitle(name));
    if (base !== undefined) {
      sequelsOf.set(base, (sequelsOf.get(base) ?? 0) + 1);
      originalTitle = "";
    }

    const genres = base?.genres ?? rnd.sample(W.GENRES, rnd.weighted([[1, 4], [2, 5], [3, 2]] as const));
    const kids = genres.includes("Kids") || genres.includes("Animation");
    const cast = Array.from(new Set(Array.from({ length: rnd.int(type === "MOVIE" ? 3 : 4, 8) }, () => people[rnd.skewedIndex(people.length)])));
    const id = idBase + n + 1;
    const externalIds: ExternalIdRef[] = [
      ...(type === "MOVIE" ? [{ source: "movielens", id: String(id) }] : []),
      { source: "imdb", id: `tt${String(id).padStart(7, "0")}` },
      { source: "tmdb", id: String(id + 500_000) },
    ];
    const title: CatalogTitle = {
      title: name,
      originalTitle,
      description: description(rnd, name, cast[0]),
      type,
      genres,
      releaseYear,
      rating: rating(rnd, type, kids),
      language,
      cast,
      director: type === "MOVIE" || rnd.chance(0.5) ? directors[rnd.skewedIndex(directors.length, 1.8)] : "",
      keywords: rnd.sample(W.KEYWORDS, rnd.int(0, 5)),
      externalIds,
      durationMinutes: type === "MOVIE" ? rnd.int(78, 185) : rnd.pick([22, 24, 30, 45, 50, 55, 60]),
      thumbnailUrl: `https://img.example.com/posters/${id}.jpg`,
      popularity: Math.round(10_000 * rnd.next() ** 4) / 10,
      seasons: type === "TV_SHOW" ? seasons(rnd, releaseYear, opts.maxSeasons ?? 3, opts.maxEpisodes ?? 8) : [],
    };
    titles.push(title);
    if (type === "MOVIE") movies.push(title);
    if (base !== undefined) rootOf.set(title, base);
  }
  return titles;
}

/**
 * How generated titles are told apart: case, accents, punctuation and a leading article do not
 * count ("The Spider-Man" and "spider man" are one title), as in search.
 */
export function foldTitle(title: string): string {
  return title
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim()
    .replace(/^(the|a|an|la|le|les|l|el|los|las|il|lo|gli|der|die|das|ein|eine|un|une|una|o|os|as|en|ett|et) /, "");
}

function titleIn(rnd: Random, language: string): [title: string, original: string] {
  const words = W.ORIGINAL_TITLE_WORDS[language];
  if (words !== undefined && rnd.chance(0.5)) {
    const original = originalTitle(rnd, words);
    // Half the foreign titles go by their own name (Amélie), half by an English one with the original kept.
    if ("nouns" in words && rnd.chance(0.5)) return [original, ""];
    return [englishTitle(rnd), original];
  }
  return [englishTitle(rnd), ""];
}

function originalTitle(rnd: Random, words: (typeof W.ORIGINAL_TITLE_WORDS)[string]): string {
  if ("phrases" in words) return rnd.pick(words.phrases);
  return `${rnd.pick(words.nouns)} ${rnd.pick(words.adjectives)}`;
}

function englishTitle(rnd: Random): string {
  const adj = () => rnd.pick(W.ADJECTIVES);
  const noun = () => rnd.pick(W.NOUNS);
  const person = () => `${rnd.pick(W.FIRST_NAMES)}`;
  const an = (word: string) => (/^[AEIOU]/.test(word) ? `An ${word}` : `A ${word}`);
  return rnd.weighted<() => string>([
    [() => `${adj()} ${noun()}`, 14],
    [() => `The ${adj()} ${noun()}`, 10],
    [() => `The ${noun()} of ${rnd.pick(W.PLACES)}`, 6],
    [() => `${noun()} of the ${noun()}`, 5],
    [() => `${an(adj())} ${noun()}`, 4],
    [() => `${an(noun())} in ${rnd.pick(W.PLACES)}`, 3],
    [() => rnd.pick(W.NAME_TITLES), 1],
    [() => `${rnd.pick(W.NAME_TITLES)} and the ${adj()} ${noun()}`, 3],
    [() => `${rnd.pick(W.CREATURES)}-${rnd.pick(W.BEINGS)}`, 1],
    [() => `${rnd.pick(W.CREATURES)}-${rnd.pick(W.BEINGS)}: ${adj()} ${noun()}`, 3],
    [() => `${rnd.pick(W.ROBOT_STEMS)}·${String.fromCharCode(65 + rnd.int(0, 25))}`, 1],
    [() => `${rnd.pick(W.ROBOT_STEMS)}-${rnd.int(1, 99)} and the ${noun()}`, 1],
    [() => `${noun()}: ${adj()} ${noun()}`, 6],
    [() => `${noun()} ${rnd.int(1950, 2099)}`, 2],
    [() => `${rnd.int(2, 101)} Days in ${rnd.pick(W.PLACES)}`, 2],
    [() => `${rnd.pick(W.NUMBER_WORDS)} ${plural(noun())}`, 3],
    [() => `${person()}'s ${noun()}`, 4],
    [() => `Mr. & Mrs. ${rnd.pick(W.LAST_NAMES)}`, 1],
    [() => `Dr. ${rnd.pick(W.LAST_NAMES)}'s ${noun()}`, 1],
    [() => `Who Killed ${person()} ${rnd.pick(W.LAST_NAMES)}?`, 1],
    [() => `${noun()}!`, 1],
    [() => `${adj()} ${noun()}, ${adj()} ${noun()}`, 2],
    [() => `${noun()} & ${noun()}`, 2],
  ])();
}

function sequelName(rnd: Random, base: string, count: number): string {
  const numbered = [String(count + 1), roman(count + 1), `Part ${roman(count + 1)}`];
  const mark = rnd.chance(0.7) ? rnd.pick(numbered) : rnd.pick(W.SEQUEL_MARKS.slice(5));
  return mark.startsWith("Part") && !/[?!:]/.test(base) ? `${base}: ${mark}` : `${base} ${mark}`;
}

function plural(noun: string): string {
  if (/[^aeiou]y$/.test(noun)) return `${noun.slice(0, -1)}ies`;
  if (/(s|x|ch|sh)$/.test(noun)) return `${noun}es`;
  if (/(Wolf|Thief)$/.test(noun)) return `${noun.slice(0, -1)}ves`;
  return `${noun}s`;
}

function roman(n: number): string {
  return ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"][n] ?? String(n);
}

function year(rnd: Random): number {
  // Most of a streaming library is recent; the classics thin out towards 1930.
  return 2025 - Math.floor(95 * rnd.next() ** 2.2);
}

function rating(rnd: Random, type: ContentKind, kids: boolean): Rating {
  if (type === "TV_SHOW") return kids ? rnd.pick(["TV_Y", "TV_Y7", "TV_G"] as const) : rnd.weighted([["TV_PG", 3], ["TV_14", 4], ["TV_MA", 3], ["TV_G", 1]] as const);
  return kids ? rnd.weighted([["G", 5], ["PG", 4], ["PG_13", 1]] as const) : rnd.weighted([["PG", 2], ["PG_13", 5], ["R", 4], ["NC_17", 1], ["G", 1]] as const);
}

function description(rnd: Random, title: string, lead: string): string {
  return rnd.weighted<() => string>([
    [() => `A ${rnd.pick(W.ROLES)} must ${rnd.pick(W.GOALS)} before ${rnd.pick(W.DEADLINES)}.`, 3],
    [() => `In ${rnd.pick(W.PLACES)}, a ${rnd.pick(W.ROLES)} and a ${rnd.pick(W.ROLES)} try to ${rnd.pick(W.GOALS)}. ${lead} stars in "${title}".`, 2],
    [() => `When ${rnd.pick(W.DEADLINES)}, ${lead} plays a ${rnd.pick(W.ROLES)} who has to ${rnd.pick(W.GOALS)}.`, 2],
  ])();
}

function seasons(rnd: Random, firstYear: number, maxSeasons: number, maxEpisodes: number): CatalogSeason[] {
  return Array.from({ length: rnd.int(1, Math.max(1, maxSeasons)) }, (_, i) => {
    const episodes = rnd.int(Math.min(3, maxEpisodes), Math.max(1, maxEpisodes));
    return {
      seasonNumber: i + 1,
      title: `Season ${i + 1}`,
      description: "",
      releaseYear: Math.min(2025, firstYear + i),
      episodes: Array.from({ length: episodes }, (_, e) => ({
        episodeNumber: e + 1,
        title: e === 0 && i === 0 ? "Pilot" : rnd.chance(0.7) ? rnd.pick(W.EPISODE_TITLES) : `${rnd.pick(W.ADJECTIVES)} ${rnd.pick(W.NOUNS)}`,
        description: "",
      })),
    };
  });
}

/** Distinct full names, first and last drawn from the accented pools. */
function personPool(rnd: Random, size: number): string[] {
  const names = new Set<string>();
  const max = W.FIRST_NAMES.length * W.LAST_NAMES.length;
  while (names.size < Math.min(size, max)) names.add(`${rnd.pick(W.FIRST_NAMES)} ${rnd.pick(W.LAST_NAMES)}`);
  return [...names];
}
