/**
 * Runs `work` over `items` with at most `concurrency` at a time and resolves when all are done;
 * once `signal` aborts no new item starts (those running finish, so none is left half-done).
 * `work` must not throw: each item's outcome is its own business.
 */
export async function eachConcurrently<T>(items: readonly T[], concurrency: number, work: (item: T, index: number) => Promise<void>, signal?: AbortSignal): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length && !signal?.aborted) {
      const index = next++;
      await work(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
}
