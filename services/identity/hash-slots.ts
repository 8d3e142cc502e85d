import { DomainError } from "./errors.js";

/**
 * Bounds how many password hashes (sign-up, login, rehash) run at once: each scrypt takes 128 MiB
 * and a core for a few hundred ms, so unbounded parallel sign-ups would exhaust the process. Calls
 * beyond `concurrency` wait in line; beyond `maxWaiting` waiting, they are refused at once as
 * throttled (RESOURCE_EXHAUSTED with a retry delay) instead of queueing without end.
 */
export interface HashSlots {
  run<T>(hash: () => Promise<T>): Promise<T>;
}

/** What a refused caller is told to wait before retrying. */
const RETRY_AFTER_MS = 1_000;

export function createHashSlots(concurrency: number, maxWaiting: number): HashSlots {
  let running = 0;
  const waiting: Array<() => void> = [];
  const release = () => {
    const next = waiting.shift();
    if (next !== undefined) next();
    else running--;
  };
  return {
    async run(hash) {
      if (running >= concurrency) {
        if (waiting.length >= maxWaiting) throw new DomainError("throttled", "the service is busy hashing passwords; retry in a moment", undefined, RETRY_AFTER_MS);
        // The slot passes straight from the releasing caller to this one (running stays the same).
        await new Promise<void>((resolve) => waiting.push(resolve));
      } else {
        running++;
      }
      try {
        return await hash();
      } finally {
        release();
      }
    },
  };
}
