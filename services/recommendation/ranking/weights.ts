import type { InteractionKind } from "./titles.js";

/** What ranking is told about one profile and one title; each part is absent when it did not happen. */
export interface TitleSignals {
  /** Watched to the end at least once. */
  completed: boolean;
  /** The newest progress, 0-1, and whether the profile stopped there long enough ago to count as abandoned. */
  progress?: { fraction: number; abandoned: boolean };
  /** Stars, 1-5. */
  stars?: number;
  /** On the profile's My List now. */
  listed: boolean;
}

/** Stars as preference: 5 and 4 are liked, 3 is lukewarm, 2 and 1 are disliked. */
const STAR_WEIGHT: Record<number, number> = { 1: -1, 2: -0.6, 3: 0.2, 4: 0.8, 5: 1 };

/**
 * One number for how much a profile likes a title, and what it did that says so most clearly.
 * A rating is the profile's own word and overrides what watching suggests (a finished film rated
 * one star was disliked); without one, finishing counts most, then a good part watched, then
 * adding to My List; a start abandoned early counts against the title. Undefined: no signal.
 */
export function interactionWeight(s: TitleSignals): { weight: number; kind: InteractionKind } | undefined {
  if (s.stars !== undefined) {
    const weight = STAR_WEIGHT[Math.round(s.stars)] ?? 0;
    return { weight: weight > 0 && s.completed ? weight + 0.2 : weight, kind: "rated" };
  }
  let watched = 0;
  if (s.completed) watched = 1;
  else if (s.progress && s.progress.fraction >= 0.5) watched = 0.7;
  else if (s.progress && s.progress.fraction >= 0.1) watched = 0.4;
  else if (s.progress?.abandoned) watched = -0.3;
  if (s.listed && watched <= 0) return { weight: 0.5, kind: "listed" };
  if (watched !== 0) return { weight: s.listed ? watched + 0.2 : watched, kind: "watched" };
  return undefined;
}
