/** One similar title: its index in the catalog and how alike it is. */
export interface ItemNeighbour {
  item: number;
  similarity: number;
}

/**
 * The `k` candidates of highest score, best first, ties by index so the answer never depends on
 * the order of the candidates. A bounded min-heap: n log k, where sorting every candidate (a
 * title shares a genre with thousands) would be n log n for each of the catalog's titles.
 */
export function nearest(candidates: readonly number[], score: (item: number) => number, k: number): ItemNeighbour[] {
  const heap: ItemNeighbour[] = [];
  // a is worse than b: lower score, or the same score and a higher index.
  const worse = (a: ItemNeighbour, b: ItemNeighbour) => a.similarity < b.similarity || (a.similarity === b.similarity && a.item > b.item);
  const siftDown = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && worse(heap[l]!, heap[m]!)) m = l;
      if (r < heap.length && worse(heap[r]!, heap[m]!)) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m]!, heap[i]!];
      i = m;
    }
  };
  for (const item of candidates) {
    const n = { item, similarity: score(item) };
    if (heap.length < k) {
      heap.push(n);
      for (let i = heap.length - 1; i > 0; ) {
        const parent = (i - 1) >> 1;
        if (!worse(heap[i]!, heap[parent]!)) break;
        [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
        i = parent;
      }
    } else if (k > 0 && worse(heap[0]!, n)) {
      heap[0] = n;
      siftDown(0);
    }
  }
  return heap.sort((a, b) => b.similarity - a.similarity || a.item - b.item);
}
