/** Ranking quality of top-k lists against held-back test sets, averaged over the test users. */
export interface Quality {
  recall: number;
  ndcg: number;
  /** Distinct movies in any list / movies in the catalog. */
  coverage: number;
}

/** Hits in the first k / the most hits possible, min(k, |relevant|). */
export function recallAt(k: number, list: readonly string[], relevant: ReadonlySet<string>): number {
  if (relevant.size === 0) return 0;
  return list.slice(0, k).filter((id) => relevant.has(id)).length / Math.min(k, relevant.size);
}

/** Binary-relevance DCG of the first k over the DCG of min(k, |relevant|) hits at the top. */
export function ndcgAt(k: number, list: readonly string[], relevant: ReadonlySet<string>): number {
  const gain = (rank: number) => 1 / Math.log2(rank + 2);
  let dcg = 0;
  list.slice(0, k).forEach((id, rank) => (dcg += relevant.has(id) ? gain(rank) : 0));
  let ideal = 0;
  for (let rank = 0; rank < Math.min(k, relevant.size); rank++) ideal += gain(rank);
  return ideal === 0 ? 0 : dcg / ideal;
}

/** Averages over every user of `test`; a user without a list scores 0. */
export function quality(k: number, lists: ReadonlyMap<string, readonly string[]>, test: ReadonlyMap<string, ReadonlySet<string>>, catalogSize: number): Quality {
  let recall = 0;
  let ndcg = 0;
  const shown = new Set<string>();
  for (const [userId, relevant] of test) {
    const list = (lists.get(userId) ?? []).slice(0, k);
    recall += recallAt(k, list, relevant);
    ndcg += ndcgAt(k, list, relevant);
    for (const id of list) shown.add(id);
  }
  const users = test.size;
  return { recall: users === 0 ? 0 : recall / users, ndcg: users === 0 ? 0 : ndcg / users, coverage: catalogSize === 0 ? 0 : shown.size / catalogSize };
}
