import { decay, type Model } from "./model.js";
import { diversify } from "./diversify.js";
import type { Interaction, InteractionKind, TitleFeatures } from "./titles.js";

/** The profile a list is made for. */
export interface ProfileTaste {
  /** Everything the profile did, any order. Titles it touched are never recommended to it again. */
  interactions: Interaction[];
  /** The profile's maturity cap as the youngest age it allows; none: no cap. */
  maxAge?: number;
  /** The profile's language (BCP 47): popular titles in it come first where taste says nothing. */
  language?: string;
}

/** Why a title is in a list; the handler turns it into words. */
export type Reason =
  | { kind: "because"; sourceId: string; via: InteractionKind }
  | { kind: "genre"; genre: string }
  | { kind: "popular" };

export interface Ranked {
  contentId: string;
  /** 0-1, the list's best is 1. */
  score: number;
  reason: Reason;
}

/**
 * How much popularity adds to a title's score from similar titles, relative to the best of them:
 * enough to order titles the profile's taste scores alike, not enough to drown the taste.
 */
const POPULARITY_PRIOR = 0.05;

/**
 * A profile's recommendations, best first: titles similar to what it liked (each like weighted
 * by its strength and how recent it is, dislikes subtracting), then the popular titles of its
 * favourite genres, then the popular titles of the whole catalog (those in the profile's language
 * first), so even a new profile gets a full list. Never a title the profile already touched or one above its cap; no more than three
 * titles of one main genre among the first ten (unless `opts.diversify` is false).
 */
export function recommend(model: Model, profile: ProfileTaste, limit: number, opts: { diversify: boolean } = { diversify: true }): Ranked[] {
  const touched = new Set(profile.interactions.map((i) => i.contentId));
  const allowed = (id: string) => !touched.has(id) && fits(model.titles.get(id), profile.maxAge);
  const scored = scoreByTaste(model, profile.interactions).filter((r) => allowed(r.contentId));
  const have = new Set(scored.map((r) => r.contentId));
  const fill: Ranked[] = [];
  for (const genre of favouriteGenres(model, profile.interactions)) {
    for (const id of model.popular) {
      if (fill.length + scored.length >= limit * 2) break;
      if (!have.has(id) && allowed(id) && model.titles.get(id)!.genres.includes(genre)) {
        have.add(id);
        fill.push({ contentId: id, score: 0, reason: { kind: "genre", genre } });
      }
    }
  }
  // The profile's own language first, then every language.
  const inLanguage = (id: string) => sameLanguage(model.titles.get(id)!.language, profile.language);
  for (const pass of profile.language ? [inLanguage, () => true] : [() => true]) {
    for (const id of model.popular) {
      if (fill.length + scored.length >= limit * 2) break;
      if (!have.has(id) && allowed(id) && pass(id)) {
        have.add(id);
        fill.push({ contentId: id, score: 0, reason: { kind: "popular" } });
      }
    }
  }
  const ranked = [...scored, ...fill];
  // Without the genre rule only for the offline evaluation, which reports what the rule costs.
  return (opts.diversify ? diversify(ranked, model.titles) : ranked).slice(0, limit);
}

/** Titles like `contentId`, most similar first, within the cap ("more like this"). */
export function similarTitles(model: Model, contentId: string, maxAge: number | undefined, limit: number): Ranked[] {
  const reason: Reason = { kind: "because", sourceId: contentId, via: "watched" };
  return (model.neighbours.get(contentId) ?? [])
    .filter((n) => fits(model.titles.get(n.contentId), maxAge))
    .slice(0, limit)
    .map((n) => ({ contentId: n.contentId, score: n.similarity, reason }));
}

/**
 * "Because you watched X" rows: one per title the profile finished or rated highly, most recent
 * first, each holding the titles like it the profile has not touched.
 */
export function becauseYouWatched(model: Model, profile: ProfileTaste, rows: number, limit: number): { sourceId: string; items: Ranked[] }[] {
  const touched = new Set(profile.interactions.map((i) => i.contentId));
  const sources = profile.interactions
    .filter((i) => i.weight >= 0.7 && model.titles.has(i.contentId))
    .sort((a, b) => b.at - a.at || a.contentId.localeCompare(b.contentId));
  const result: { sourceId: string; items: Ranked[] }[] = [];
  for (const source of sources) {
    if (result.length === rows) break;
    const items = similarTitles(model, source.contentId, profile.maxAge, limit + touched.size)
      .filter((r) => !touched.has(r.contentId))
      .slice(0, limit)
      .map((r) => ({ ...r, reason: { kind: "because", sourceId: source.contentId, via: source.kind } as const }));
    if (items.length > 0) result.push({ sourceId: source.contentId, items });
  }
  return result;
}

/** Σ over the profile's interactions of weight × recency × similarity, per similar title; the strongest like is the reason. */
function scoreByTaste(model: Model, interactions: Interaction[]): Ranked[] {
  const latest = interactions.reduce((m, i) => Math.max(m, i.at), 0);
  const score = new Map<string, number>();
  const best = new Map<string, { contribution: number; source: Interaction }>();
  for (const i of interactions) {
    const w = i.weight * decay(latest - i.at);
    for (const n of model.neighbours.get(i.contentId) ?? []) {
      const c = w * n.similarity;
      score.set(n.contentId, (score.get(n.contentId) ?? 0) + c);
      if (c > (best.get(n.contentId)?.contribution ?? 0)) best.set(n.contentId, { contribution: c, source: i });
    }
  }
  const top = [...score.values()].reduce((m, x) => Math.max(m, x), 0);
  if (top <= 0) return [];
  return [...score]
    .filter(([id, s]) => s > 0 && best.has(id))
    .map(([id, s]) => {
      const { source } = best.get(id)!;
      return { contentId: id, raw: s + POPULARITY_PRIOR * top * (model.popularity.get(id) ?? 0), reason: { kind: "because", sourceId: source.contentId, via: source.kind } as const };
    })
    .sort((a, b) => b.raw - a.raw || a.contentId.localeCompare(b.contentId))
    .map((r, _, all) => ({ contentId: r.contentId, score: r.raw / all[0]!.raw, reason: r.reason }));
}

/** The genres of the titles the profile liked, most liked first. */
function favouriteGenres(model: Model, interactions: Interaction[]): string[] {
  const byGenre = new Map<string, number>();
  for (const i of interactions) {
    if (i.weight <= 0) continue;
    for (const g of model.titles.get(i.contentId)?.genres ?? []) byGenre.set(g, (byGenre.get(g) ?? 0) + i.weight);
  }
  return [...byGenre].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 3).map(([g]) => g);
}

/** "en-GB" and "en" are one language: the primary subtags are compared. */
function sameLanguage(a: string, b: string | undefined): boolean {
  return b !== undefined && a !== "" && a.split("-")[0]!.toLowerCase() === b.split("-")[0]!.toLowerCase();
}

function fits(t: TitleFeatures | undefined, maxAge: number | undefined): boolean {
  return t !== undefined && (maxAge === undefined || t.minAge <= maxAge);
}
