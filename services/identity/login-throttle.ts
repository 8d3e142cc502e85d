import { createHash } from "node:crypto";
import type { Kv } from "../../platform/storage/kv.js";
import type { LoginThrottleLimits, SignUpThrottleLimits } from "./config.js";
import { UNKNOWN_IP } from "./client-ip.js";
import { DomainError } from "./errors.js";

/**
 * Throttles password guessing per account *from one client address* and per client address, in
 * fixed windows on the KV store (Redis in production, so every replica shares the counts).
 *
 * The account's counter is keyed by account and address together, so failures from an attacker's
 * address never lock the owner out of their account from theirs; the per-address limit, higher,
 * bounds how many accounts one address can try. (An attacker with many addresses gets
 * `maxFailuresPerAccountAddress` guesses per address per window: the price of not letting anyone
 * who knows an email lock its owner out.)
 *
 * Each attempt is counted *before* the password is checked, so a burst of parallel guesses cannot
 * slip through between a check and an increment. A successful login then takes its own count back
 * from the address (a success does not forgive the address's earlier failures) and clears the
 * account's count for that address. The answer never depends on whether the account exists.
 *
 * A caller whose address is unknown (no usable `x-forwarded-for`) has no per-address limit: one
 * shared "unknown" counter would let a single abuser lock every such caller out. Such callers share
 * one per-account counter.
 */
export interface LoginThrottle {
  /** Counts an attempt; `throttled` when the address, or the account from this address, is over its limit. */
  admit(email: string, ip: string): Promise<void>;
  succeeded(email: string, ip: string): Promise<void>;
}

/** The KV keys of the counters: per client address, and per account (by normalised email) and address. */
export const ipKey = (ip: string) => `login-failures:ip:${ip}`;
// Hashed: bounded key length, and no email addresses sitting in Redis.
export const accountKey = (email: string, ip: string) => `login-failures:account:${createHash("sha256").update(`${email}\n${ip}`).digest("hex").slice(0, 32)}`;

/** `prefix` starts every counter's key (the kv namespace, when environments share a Redis). */
export function createLoginThrottle(kv: Kv, limits: LoginThrottleLimits, prefix = ""): LoginThrottle {
  const throttled = () => throttledError("too many failed login attempts", limits.windowMs);
  return {
    async admit(email, ip) {
      if (ip !== UNKNOWN_IP && (await kv.hit(prefix + ipKey(ip), limits.windowMs)) > limits.maxFailuresPerIp) throw throttled();
      if ((await kv.hit(prefix + accountKey(email, ip), limits.windowMs)) > limits.maxFailuresPerAccountAddress) throw throttled();
    },
    async succeeded(email, ip) {
      // With a TTL in case the window ended meanwhile: a stray -1 must expire like any counter.
      if (ip !== UNKNOWN_IP) await kv.incrBy(prefix + ipKey(ip), -1, { ttlMs: limits.windowMs });
      await kv.del(prefix + accountKey(email, ip));
    },
  };
}

/**
 * Sign-ups per client address and window: each one costs a full password hash, so an address
 * cannot make the service hash without end. Callers of unknown address share one counter (sign-up
 * names no account to key by; in production the edge always sets the address).
 */
export interface SignUpThrottle {
  /** Counts a sign-up attempt; `throttled` when the address is over its limit. */
  admit(ip: string): Promise<void>;
}

export const signUpKey = (ip: string) => `signups:ip:${ip}`;

export function createSignUpThrottle(kv: Kv, limits: SignUpThrottleLimits, prefix = ""): SignUpThrottle {
  return {
    async admit(ip) {
      if ((await kv.hit(prefix + signUpKey(ip), limits.windowMs)) > limits.maxPerIp) throw throttledError("too many sign-ups from this address", limits.windowMs);
    },
  };
}

function throttledError(what: string, windowMs: number): DomainError {
  return new DomainError("throttled", `${what}; try again in at most ${duration(windowMs)}`, undefined, windowMs);
}

function duration(ms: number): string {
  const seconds = Math.ceil(ms / 1000);
  return seconds < 120 ? `${seconds} seconds` : `${Math.ceil(seconds / 60)} minutes`;
}
