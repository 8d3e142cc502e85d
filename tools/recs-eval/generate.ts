import { ADJECTIVES, NOUNS } from "../catalog-import/word-pools.js";
import { Random } from "../catalog-import/random.js";
import type { Dataset, Movie, RatingRow } from "./dataset.js";

export interface GenerateOptions {
  users: number;
  titles: number;
  /** Same seed, same dataset, on every machine. */
  seed: number;
  /** Latent taste groups; 20 by default. */
  groups?: number;
  /** The mean number of ratings per user; 100 by default. */
  ratingsPerUser?: number;
}

/** MovieLens genres with roughly how common they are there: Drama and Comedy everywhere, Film-Noir rare. */
const GENRES: ReadonlyArray<readonly [string, number]> = [
  ["Action", 2.5], ["Adventure", 2], ["Animation", 1], ["Children", 1], ["Comedy", 4], ["Crime", 2], ["Documentary", 0.8],
  ["Drama", 5], ["Fantasy", 1.2], ["Film-Noir", 0.2], ["Horror", 1.5], ["Musical", 0.5], ["Mystery", 1], ["Romance", 2.5],
  ["Sci-Fi", 1.5], ["Thriller", 2.5], ["War", 0.5], ["Western", 0.3],
];
const GENRE_ORDER = GENRES.map(([g]) => g);

/** Ratings start on 2018-01-01 and span about two years. */
const START = 1_514_764_800;
const SPAN = 2 * 365 * 24 * 3600;
/** Of a user's ratings, this share goes to titles of their own groups, by popularity; the rest to any title. */
const IN_GROUP_SHARE = 0.8;
/** Of the ratings of titles outside the user's groups, this share is a liking anyway: taste is not a clean partition. */
const STRAY_LIKE_SHARE = 0.1;
/** Within a group, the title of popularity rank r is picked in proportion to 1 / (r + 1)^ZIPF. */
const ZIPF = 1;

/**
 * A synthetic MovieLens dataset with planted taste structure, for the offline evaluation: each
 * title belongs to one or two latent groups and its genres derive from theirs (so genres say
 * something, not everything); each user likes one to three groups and mostly rates titles of
 * those, highly, with a few titles of every group much more popular than the rest; the rest of
 * their ratings are random titles, rated lower. Each user's ratings are spread over part of two years.
 */
export function generateInteractions(opts: GenerateOptions): Dataset {
  const rnd = new Random(opts.seed);
  const groupCount = opts.groups ?? 20;
  const signatures = Array.from({ length: groupCount }, () => distinctGenres(rnd, 2));
  const members: number[][] = Array.from({ length: groupCount }, () => []);
  const groupsOf: number[][] = [];
  const movies: Movie[] = [];
  for (let t = 0; t < opts.titles; t++) {
    const groups = rnd.sample(range(groupCount), rnd.chance(0.3) ? 2 : 1);
    groupsOf.push(groups);
    for (const g of groups) members[g]!.push(t);
    const genres = new Set<string>();
    for (const g of groups) {
      genres.add(signatures[g]![0]!);
      if (rnd.chance(0.6)) genres.add(signatures[g]![1]!);
    }
    if (rnd.chance(0.3)) genres.add(rnd.weighted(GENRES));
    const year = rnd.int(1950, 2019);
    movies.push({ movieId: String(t + 1), title: `${rnd.pick(ADJECTIVES)} ${rnd.pick(NOUNS)} (${year})`, genres: GENRE_ORDER.filter((g) => genres.has(g)).join("|") });
  }
  // Popularity order within each group: a random one, so a title's id says nothing.
  const ranked = members.map((m) => rnd.sample(m, m.length));
  const cumulative = ranked.map((m) => cumulativeZipf(m.length));

  const ratings: RatingRow[] = [];
  const mean = opts.ratingsPerUser ?? 100;
  for (let u = 0; u < opts.users; u++) {
    const liked = rnd.sample(range(groupCount).filter((g) => ranked[g]!.length > 0), rnd.int(1, 3));
    // 0.25-2.5 × the mean, most users near the low end, averaging the mean.
    const count = Math.min(opts.titles, Math.max(1, Math.round(mean * (0.25 + 2.25 * rnd.next() ** 2))));
    const rated = new Map<number, number>();
    for (let n = 0; n < count; n++) {
      // A user who has rated nearly all of their groups' titles rates other ones instead.
      const title = (rnd.chance(IN_GROUP_SHARE) ? unratedInGroup(rnd, ranked, cumulative, liked, rated) : undefined) ?? unrated(rnd, opts.titles, rated);
      if (title !== undefined) rated.set(title, ratingFor(rnd, groupsOf[title]!.some((g) => liked.includes(g))));
    }
    const span = SPAN * (0.1 + 0.9 * rnd.next());
    const first = START + rnd.next() * (SPAN - span);
    const times = Array.from({ length: rated.size }, () => Math.floor(first + rnd.next() * span)).sort((a, b) => a - b);
    let i = 0;
    for (const [title, rating] of rated) ratings.push({ userId: String(u + 1), movieId: String(title + 1), rating, timestamp: times[i++]! });
  }
  return { movies, ratings };
}

/** A title of the user's groups gets 3.5-5; another title 0.5-3, or now and then 3.5-4 all the same. */
function ratingFor(rnd: Random, ofLikedGroup: boolean): number {
  if (ofLikedGroup) return 3.5 + 0.5 * rnd.int(0, 3);
  if (rnd.chance(STRAY_LIKE_SHARE)) return rnd.pick([3.5, 4]);
  return 0.5 * rnd.int(1, 6);
}

function distinctGenres(rnd: Random, count: number): string[] {
  const out: string[] = [];
  while (out.length < count) {
    const g = rnd.weighted(GENRES);
    if (!out.includes(g)) out.push(g);
  }
  return out;
}

/** A title of one of the user's groups, by popularity; undefined after a few tries when those are nearly all rated. */
function unratedInGroup(rnd: Random, ranked: number[][], cumulative: Float64Array[], liked: number[], rated: Map<number, number>): number | undefined {
  for (let attempt = 0; attempt < 20; attempt++) {
    const g = rnd.pick(liked);
    const title = ranked[g]![pickCumulative(cumulative[g]!, rnd.next())]!;
    if (!rated.has(title)) return title;
  }
  return undefined;
}

function unrated(rnd: Random, titles: number, rated: Map<number, number>): number | undefined {
  for (let attempt = 0; attempt < 20; attempt++) {
    const title = rnd.int(0, titles - 1);
    if (!rated.has(title)) return title;
  }
  return undefined;
}

/** Running sums of 1 / (r + 1)^ZIPF, normalised to end at 1. */
function cumulativeZipf(n: number): Float64Array {
  const c = new Float64Array(n);
  let sum = 0;
  for (let r = 0; r < n; r++) c[r] = sum += 1 / (r + 1) ** ZIPF;
  for (let r = 0; r < n; r++) c[r]! /= sum;
  return c;
}

/** The first index whose running sum exceeds u (binary search). */
function pickCumulative(c: Float64Array, u: number): number {
  let lo = 0;
  let hi = c.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (c[mid]! > u) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
