/** What a source gave the page within its deadline. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; late: boolean; error?: unknown };

/**
 * Waits for `work` at most `waitMs` and says what came of it: its value, its error, or that it is
 * late. A late answer is not thrown away: `onLate` receives it (the stored copy is refreshed with
 * it, so the next page has it: stale-while-revalidate). The work's own timeout bounds how late.
 */
export async function waitAtMost<T>(work: Promise<T>, waitMs: number, onLate?: (value: T) => void): Promise<Outcome<T>> {
  let timedOut = false;
  let timer: NodeJS.Timeout | undefined;
  const settled = work.then(
    (value): Outcome<T> => {
      if (timedOut) onLate?.(value);
      return { ok: true, value };
    },
    (error: unknown): Outcome<T> => ({ ok: false, late: false, error }),
  );
  const deadline = new Promise<Outcome<T>>((resolve) => {
    timer = setTimeout(() => {
      timedOut = true;
      resolve({ ok: false, late: true });
    }, Math.max(0, waitMs));
  });
  try {
    return await Promise.race([settled, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
