/** A deadline for one key, as scheduled when its TTL was set. */
export interface Expiry {
  at: number;
  key: string;
}

/**
 * Min-heap of key deadlines, earliest first. Entries are never updated in place: a key whose
 * TTL changes gets a new entry and the old one goes stale; the owner checks each popped entry
 * against the key's current deadline and compacts the heap when stale entries pile up.
 */
export class ExpiryHeap {
  private items: Expiry[] = [];

  get size(): number {
    return this.items.length;
  }

  push(entry: Expiry): void {
    const items = this.items;
    items.push(entry);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (items[parent].at <= items[i].at) break;
      [items[parent], items[i]] = [items[i], items[parent]];
      i = parent;
    }
  }

  /** Removes and returns the earliest entry if it is due at `now`. */
  popDue(now: number): Expiry | undefined {
    const items = this.items;
    if (items.length === 0 || items[0].at > now) return undefined;
    const top = items[0];
    const last = items.pop()!;
    if (items.length > 0) {
      items[0] = last;
      this.siftDown(0);
    }
    return top;
  }

  /** Rebuilds the heap from the entries `keep` accepts. */
  compact(keep: (entry: Expiry) => boolean): void {
    this.items = this.items.filter(keep);
    for (let i = (this.items.length >> 1) - 1; i >= 0; i--) this.siftDown(i);
  }

  private siftDown(i: number): void {
    const items = this.items;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < items.length && items[left].at < items[smallest].at) smallest = left;
      if (right < items.length && items[right].at < items[smallest].at) smallest = right;
      if (smallest === i) return;
      [items[smallest], items[i]] = [items[i], items[smallest]];
      i = smallest;
    }
  }
}
