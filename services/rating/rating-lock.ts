import { randomUUID } from "node:crypto";
import type { Kv } from "../../platform/storage/kv.js";

const LOCK_TTL_MS = 5_000;
const MAX_WAITS = 40;

/**
 * Serialises the writes to one profile's rating of one title across replicas (a KV lock), so the
 * totals a caller is answered with include the writes that raced with it. Correctness of the
 * totals does not depend on it: the compare-and-set in rate.ts holds even when a lock expires
 * mid-write or cannot be had, in which case the write goes ahead unserialised.
 */
export async function withRatingLock<T>(kv: Kv, profileId: string, contentId: string, fn: () => Promise<T>): Promise<T> {
  const key = `rating-lock:${profileId}:${contentId}`;
  const token = randomUUID();
  let held = false;
  for (let wait = 0; wait < MAX_WAITS && !held; wait++) {
    held = await kv.setIfAbsent(key, token, LOCK_TTL_MS);
    if (!held) await new Promise((r) => setTimeout(r, Math.min(10 * (wait + 1), 100)));
  }
  try {
    return await fn();
  } finally {
    if (held && (await kv.get(key)) === token) await kv.del(key);
  }
}
