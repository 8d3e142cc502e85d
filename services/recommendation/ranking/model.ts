import { coWatchingNeighbours } from "./co-watching.js";
import { contentNeighbours } from "./content-similarity.js";
import { nearest, type ItemNeighbour } from "./nearest.js";
import type { Interaction, TitleFeatures } from "./titles.js";

/** Neighbours kept per title: enough for "more like this" and for a profile's candidates. */
export const NEIGHBOURS = 100;

/**
 * How much a title's likers must number before co-watching outweighs content similarity: with
 * `n` likers the blend is n / (n + CONFIDENT_LIKERS) co-watching. A new title is recommended by
 * what it is; a watched one by who watched it.
 */
const CONFIDENT_LIKERS = 3;

/** A title liked this long before a profile's latest like counts half (tastes drift). */
export const TASTE_HALF_LIFE_MS = 180 * 24 * 3600_000;

export interface Neighbour {
  contentId: string;
  /** 0-1. */
  similarity: number;
}

/** What the periodic rebuild produces: every title's similar titles and the popularity order. */
export interface Model {
  titles: Map<string, TitleFeatures>;
  /** contentId → its most similar titles, best first. */
  neighbours: Map<string, Neighbour[]>;
  /** contentId → popularity 0-1 (1 = the most liked title). */
  popularity: Map<string, number>;
  /** Every title, most popular first. */
  popular: string[];
}

/**
 * Builds the model from the catalog and every profile's interactions. Interactions of titles not
 * in `titles` (removed, unpublished) are ignored, so they are never recommended.
 */
export function buildModel(titles: TitleFeatures[], interactions: Iterable<Interaction>, now = Date.now()): Model {
  const index = new Map(titles.map((t, i) => [t.contentId, i]));
  const likesByProfile = new Map<string, number[]>();
  const likeScore = new Float64Array(titles.length);
  for (const it of interactions) {
    const item = index.get(it.contentId);
    if (item === undefined || it.weight <= 0) continue;
    (likesByProfile.get(it.profileId) ?? likesByProfile.set(it.profileId, []).get(it.profileId)!).push(item);
    // Popularity decays too: what people liked this season is more popular than what they liked years ago.
    likeScore[item]! += it.weight * decay(now - it.at);
  }
  const likes = [...likesByProfile.values()];
  const likers = new Float64Array(titles.length);
  for (const items of likes) for (const item of items) likers[item]! += 1;

  const byCoWatching = coWatchingNeighbours(titles.length, likes, NEIGHBOURS);
  const byContent = contentNeighbours(titles, NEIGHBOURS);
  const neighbours = new Map<string, Neighbour[]>();
  titles.forEach((t, item) => {
    const trust = likers[item]! / (likers[item]! + CONFIDENT_LIKERS);
    const blended = blend(byCoWatching[item]!, byContent[item]!, trust);
    neighbours.set(t.contentId, blended.map((n) => ({ contentId: titles[n.item]!.contentId, similarity: n.similarity })));
  });

  const maxLike = likeScore.reduce((m, x) => Math.max(m, x), 0);
  const popularity = new Map(titles.map((t, i) => [t.contentId, maxLike > 0 ? likeScore[i]! / maxLike : 0]));
  const popular = titles.map((t) => t.contentId).sort((a, b) => popularity.get(b)! - popularity.get(a)! || a.localeCompare(b));
  return { titles: new Map(titles.map((t) => [t.contentId, t])), neighbours, popularity, popular };
}

/** `trust` of co-watching plus the rest of content similarity, per neighbour, the best NEIGHBOURS. */
function blend(coWatched: ItemNeighbour[], alike: ItemNeighbour[], trust: number): ItemNeighbour[] {
  // Each list on its own scale (its best neighbour 1): content similarity runs higher than co-watching.
  const topCo = coWatched[0]?.similarity || 1;
  const topAlike = alike[0]?.similarity || 1;
  const score = new Map<number, number>();
  for (const n of coWatched) score.set(n.item, (trust * n.similarity) / topCo);
  for (const n of alike) score.set(n.item, (score.get(n.item) ?? 0) + ((1 - trust) * n.similarity) / topAlike);
  return nearest([...score.keys()], (item) => score.get(item)!, NEIGHBOURS);
}

/** 1 now, ½ after TASTE_HALF_LIFE_MS. */
export function decay(ageMs: number): number {
  return Math.pow(0.5, Math.max(0, ageMs) / TASTE_HALF_LIFE_MS);
}
