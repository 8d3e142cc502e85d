import { compareIds } from "./dataset.js";

/**
 * The `k` best-scored ids, best first, leaving out `excluded` ones; equal scores in id order so
 * a list never depends on the input's order. One pass keeping the best k (k is 10, the catalog thousands).
 */
export function topK(ids: readonly string[], scores: ArrayLike<number>, k: number, excluded: ReadonlySet<string>): string[] {
  const best: number[] = [];
  const better = (a: number, b: number) => scores[a]! > scores[b]! || (scores[a] === scores[b] && compareIds(ids[a]!, ids[b]!) < 0);
  for (let i = 0; i < ids.length; i++) {
    if (excluded.has(ids[i]!)) continue;
    if (best.length === k && !better(i, best[k - 1]!)) continue;
    let at = best.length === k ? k - 1 : best.length;
    while (at > 0 && better(i, best[at - 1]!)) at--;
    best.splice(at, 0, i);
    if (best.length > k) best.pop();
  }
  return best.map((i) => ids[i]!);
}
