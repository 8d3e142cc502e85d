import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Signed media URLs in the manner of CDN token auth (Akamai's `acl=/prefix/*~exp~hmac`): the token
 * sits in the URL path, before the object key, so the relative URIs inside playlists resolve to
 * URLs that carry it too. It grants read access to every key under `prefix` until `expiresAt`,
 * for renditions whose short side is at most `maxShortSide`.
 *
 *   /media/<token>/videos/<videoId>/<jobId>/master.m3u8
 *   /media/<token>/videos/<videoId>/<jobId>/480p/seg-00001.m4s   (resolved by the player)
 *
 * token = base64url(JSON grant) "." base64url(HMAC-SHA256(key, base64url(JSON grant)))
 */
export interface MediaGrant {
  /** Object-key prefix the token opens, ending in "/", e.g. `videos/<videoId>/`. */
  prefix: string;
  /** Unix seconds after which the token is refused. */
  expiresAt: number;
  /** Highest rendition (short side in pixels: 480 for "480p") the session may fetch. */
  maxShortSide: number;
  /** The playback session the token was issued to (for logs and analytics). */
  sessionId: string;
}

export type MediaTokenCheck = { ok: true; grant: MediaGrant } | { ok: false; reason: "malformed" | "bad-signature" | "expired" };

/** A media signing key must be at least this long (bytes): HMAC-SHA256's own output size. */
export const MIN_MEDIA_KEY_BYTES = 32;

export function signMediaToken(key: Buffer, grant: MediaGrant): string {
  if (key.length < MIN_MEDIA_KEY_BYTES) throw new Error(`media signing key must be at least ${MIN_MEDIA_KEY_BYTES} bytes`);
  if (!grant.prefix.endsWith("/") || grant.prefix.startsWith("/") || grant.prefix.split("/").some((s, i, all) => s === ".." || s === "." || (s === "" && i < all.length - 1))) {
    throw new Error(`media grant prefix must be a clean relative folder ending in "/": ${grant.prefix}`);
  }
  const payload = Buffer.from(JSON.stringify({ p: grant.prefix, e: grant.expiresAt, q: grant.maxShortSide, s: grant.sessionId })).toString("base64url");
  return `${payload}.${mac(key, payload)}`;
}

export function verifyMediaToken(key: Buffer, token: string, nowSeconds: number): MediaTokenCheck {
  const dot = token.indexOf(".");
  if (dot <= 0 || dot !== token.lastIndexOf(".")) return { ok: false, reason: "malformed" };
  const payload = token.slice(0, dot);
  // Compared as text, not decoded: the last base64 character carries spare bits a decoder
  // ignores, so decoded comparison would accept several spellings of one signature.
  const given = Buffer.from(token.slice(dot + 1));
  const expected = Buffer.from(mac(key, payload));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: "bad-signature" };
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
  } catch {
    return { ok: false, reason: "malformed" };
  }
  const grant = parseGrant(raw);
  if (grant === undefined) return { ok: false, reason: "malformed" };
  if (grant.expiresAt <= nowSeconds) return { ok: false, reason: "expired" };
  return { ok: true, grant };
}

function mac(key: Buffer, payload: string): string {
  return createHmac("sha256", key).update(payload).digest("base64url");
}

function parseGrant(raw: unknown): MediaGrant | undefined {
  if (typeof raw !== "object" || raw === null) return undefined;
  const { p, e, q, s } = raw as Record<string, unknown>;
  if (typeof p !== "string" || !p.endsWith("/") || typeof e !== "number" || typeof q !== "number" || typeof s !== "string") return undefined;
  return { prefix: p, expiresAt: e, maxShortSide: q, sessionId: s };
}
