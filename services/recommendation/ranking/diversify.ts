import type { TitleFeatures } from "./titles.js";

/** Of the first `TOP` titles of a list, at most `PER_GENRE` may have any one genre as their main genre (the first listed). */
export const TOP = 10;
export const PER_GENRE = 3;

/**
 * Re-ranks a list so its first TOP titles hold at most PER_GENRE of any genre: walking the list
 * in order, a title that would break the rule waits, and the next title that keeps it moves up.
 * When nothing left keeps it (a catalog of one genre), the best waiting title is taken after all,
 * so the list is never shorter. The order below the top is kept.
 */
export function diversify<T extends { contentId: string }>(ranked: T[], titles: Map<string, TitleFeatures>): T[] {
  const mainGenre = (r: T) => titles.get(r.contentId)?.genres[0] ?? "";
  const counts = new Map<string, number>();
  const top: T[] = [];
  const waiting = [...ranked];
  while (top.length < TOP && waiting.length > 0) {
    const fitting = waiting.findIndex((r) => mainGenre(r) === "" || (counts.get(mainGenre(r)) ?? 0) < PER_GENRE);
    const [next] = waiting.splice(fitting === -1 ? 0 : fitting, 1);
    counts.set(mainGenre(next!), (counts.get(mainGenre(next!)) ?? 0) + 1);
    top.push(next!);
  }
  return [...top, ...waiting];
}
