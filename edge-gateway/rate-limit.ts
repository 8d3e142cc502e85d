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
 * The user is the `sub` of the bearer token, read without verifying it: the edge only buckets
 * requests, the services verify. A forged `sub` gains nothing: it merely moves the forger's
 * requests into another bucket, and the per-IP limit still counts them all.
 */
export class RateLimiter {
  constructor(
    private readonly kv: Kv,
    private readonly limits: RateLimits,
  ) {}

  async check(ip: string, authorization: string | undefined): Promise<RateDecision> {
    if (this.limits.perIpPerMinute > 0 && (await this.kv.hit(`rl:ip:${ip}`, WINDOW_MS)) > this.limits.perIpPerMinute) {
      return { allowed: false, scope: "ip", retryAfterSeconds: WINDOW_MS / 1000 };
    }
    const user = this.limits.perUserPerMinute > 0 ? tokenSubject(authorization) : undefined;
    if (user !== undefined && (await this.kv.hit(`rl:user:${user}`, WINDOW_MS)) > this.limits.perUserPerMinute) {
      return { allowed: false, scope: "user", retryAfterSeconds: WINDOW_MS / 1000 };
    }
    return { allowed: true };
  }
}

/** The `sub` claim of a JWT bearer token, unverified; undefined when there is none. */
export function tokenSubject(authorization: string | undefined): string | undefined {
  const token = authorization?.match(/^Bearer\s+([\w-]+)\.([\w-]+)\.[\w-]*$/i);
  if (!token) return undefined;
  try {
    const sub: unknown = JSON.parse(Buffer.from(token[2], "base64url").toString("utf8")).sub;
    return typeof sub === "string" && sub.length <= 64 ? sub : undefined;
  } catch {
    return undefined;
  }
}
