import { InvalidTokenError, type TokenVerifier } from "../platform/auth/tokens.js";
import type { Kv } from "../platform/storage/kv.js";

export interface RateLimits {
  /** Requests per minute from one client address; 0 disables the limit. */
  perIpPerMinute: number;
  /** Requests per minute carrying one account's token; 0 disables the limit. */
  perUserPerMinute: number;
}

export type RateDecision = { allowed: true } | { allowed: false; scope: "ip" | "user"; retryAfterSeconds: number };

const WINDOW_MS = 60_000;

/**
 * Per-IP and per-user request limits at the edge, in fixed one-minute windows kept in the KV store
 * (Redis shared by every edge replica in production; in-process for a single one).
 *
 * The user is the subject of a bearer token the edge has verified (the verifier caches, so a
 * client's token costs one signature check per process): a forged token naming someone else would
 * otherwise spend its victim's allowance. A request without a valid token is limited per address
 * only; the services answer it UNAUTHENTICATED where a token is needed.
 */
export class RateLimiter {
  constructor(
    private readonly kv: Kv,
    private readonly limits: RateLimits,
    private readonly verifier: TokenVerifier,
  ) {}

  async check(ip: string, authorization: string | undefined): Promise<RateDecision> {
    if (this.limits.perIpPerMinute > 0 && (await this.kv.hit(`rl:ip:${ip}`, WINDOW_MS)) > this.limits.perIpPerMinute) {
      return { allowed: false, scope: "ip", retryAfterSeconds: WINDOW_MS / 1000 };
    }
    const user = this.limits.perUserPerMinute > 0 ? await verifiedSubject(this.verifier, authorization) : undefined;
    if (user !== undefined && (await this.kv.hit(`rl:user:${user}`, WINDOW_MS)) > this.limits.perUserPerMinute) {
      return { allowed: false, scope: "user", retryAfterSeconds: WINDOW_MS / 1000 };
    }
    return { allowed: true };
  }
}

/** The subject of a bearer token that verifies; undefined when there is none or it does not. */
async function verifiedSubject(verifier: TokenVerifier, authorization: string | undefined): Promise<string | undefined> {
  const token = authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
  if (token === undefined) return undefined;
  try {
    return (await verifier.verify(token)).userId;
  } catch (err) {
    if (err instanceof InvalidTokenError) return undefined;
    throw err;
  }
}
