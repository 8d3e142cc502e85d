import type { Recommender } from "./recommender.js";
import { choleskyInverse, type SpdInverse } from "./spd-inverse.js";
import { topK } from "./top-k.js";

export const DEFAULT_LAMBDA = 500;
export const EASE_NAME = "EASE^R";

/**
 * EASE^R (Steck, "Embarrassingly Shallow Autoencoders for Sparse Data", 2019): the item-item
 * matrix B that best rebuilds X from X with a zero diagonal, in closed form. X is users × items,
 * 1 where the user liked the item. G = XᵀX + λI, P = G⁻¹, B = −P / diag(P) column by column,
 * diag(B) = 0. Returned row-major (n × n): row i is what liking item i adds to every item's score.
 */
export function easeWeights(likes: readonly (readonly number[])[], n: number, lambda: number, invert: SpdInverse = choleskyInverse): Float64Array {
  const g = new Float64Array(n * n);
  for (const items of likes) for (const i of items) for (const j of items) g[i * n + j]! += 1;
  for (let i = 0; i < n; i++) g[i * n + i]! += lambda;
  const b = invert(g, n);
  const diag = Float64Array.from({ length: n }, (_, j) => b[j * n + j]!);
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let j = 0; j < n; j++) b[ri + j] = i === j ? 0 : -b[ri + j]! / diag[j]!;
  }
  return b;
}

/** A user's score for every item: the sum of B's rows of the items they liked (x_u · B). */
export function easeScores(b: Float64Array, n: number, liked: readonly number[]): Float64Array {
  const scores = new Float64Array(n);
  for (const i of liked) {
    const row = b.subarray(i * n, (i + 1) * n);
    for (let j = 0; j < n; j++) scores[j]! += row[j]!;
  }
  return scores;
}

/** EASE^R over the movies with at least one train positive (the others could only score 0). */
export function ease(lambda = DEFAULT_LAMBDA, invert: SpdInverse = choleskyInverse): Recommender {
  return {
    name: EASE_NAME,
    recommend({ histories }, users, k) {
      const ids: string[] = [];
      const index = new Map<string, number>();
      for (const h of histories.values()) for (const id of h.positives) if (!index.has(id)) index.set(id, ids.push(id) - 1);
      const likes = (userId: string) => (histories.get(userId)?.positives ?? []).map((id) => index.get(id)!);
      const b = easeWeights([...histories.keys()].map(likes), ids.length, lambda, invert);
      const none = new Set<string>();
      return new Map(users.map((u) => [u, topK(ids, easeScores(b, ids.length, likes(u)), k, histories.get(u)?.seen ?? none)]));
    },
  };
}
