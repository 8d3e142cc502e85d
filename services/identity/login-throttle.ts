import { createHash } from "node:crypto";
import type { Kv } from "../../platform/storage/kv.js";
import type { LoginThrottleLimits } from "./config.js";
import { UNKNOWN_IP } from "./client-ip.js";
import { DomainError } from "./errors.js";

/**
 * Throttles password guessing per account (email) and per client IP, in fixed windows on the KV
 * store (Redis in production, so every replica shares the counts).
 *
 * Each attempt is counted *before* the password is checked, so a burst of parallel guesses cannot
 * slip through between a check and an increment. A successful login then takes its own count back
 * from the IP (a success does not forgive the IP's earlier failures) and clears the account's.
 * The answer never depends on whether the account exists.
 *
 * A caller whose address is unknown (no usable `x-forwarded-for`) is throttled per account only:
 * one shared "unknown" counter would let a single abuser lock every such caller out.
 */
export interface LoginThrottle {
  /** Counts an attempt; `throttled` when the IP or the account is over its limit. */
  admit(email: string, ip: string): Promise<void>;
  succeeded(email: string, ip: string): Promise<void>;
}

/** The KV keys of the counters: per client address, and per account (by normalised email). */
export const ipKey = (ip: string) => `login-failures:ip:${ip}`;
// Hashed: bounded key length, and no email addresses sitting in Redis.
export const accountKey = (email: string) => `login-failures:account:${createHash("sha256").update(email).digest("hex").slice(0, 32)}`;

export function createLoginThrottle(kv: Kv, limits: LoginThrottleLimits): LoginThrottle {
  const throttled = () =>
    new DomainError(
      "throttled",
      `too many failed login attempts; try again in at most ${duration(limits.windowMs)}`,
      undefined,
      limits.windowMs,
    );
  return {
    async admit(email, ip) {
      if (ip !== UNKNOWN_IP && (await kv.hit(ipKey(ip), limits.windowMs)) > limits.maxFailuresPerIp) throw throttled();
      if ((await kv.hit(accountKey(email), limits.windowMs)) > limits.maxFailuresPerAccount) throw throttled();
    },
    async succeeded(email, ip) {
      // With a TTL in case the window ended meanwhile: a stray -1 must expire like any counter.
      if (ip !== UNKNOWN_IP) await kv.incrBy(ipKey(ip), -1, { ttlMs: limits.windowMs });
      await kv.del(accountKey(email));
    },
  };
}

function duration(ms: number): string {
  const seconds = Math.ceil(ms / 1000);
  return seconds < 120 ? `${seconds} seconds` : `${Math.ceil(seconds / 60)} minutes`;
}
