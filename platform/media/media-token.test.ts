import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { signMediaToken, verifyMediaToken, type MediaGrant } from "./media-token.js";

const key = randomBytes(32);
const grant: MediaGrant = { prefix: "videos/5d6f0a52-6f4e-4a57-9d1c-0f1f3b9f2d11/", expiresAt: 2_000_000_000, maxShortSide: 480, sessionId: "s-1" };

describe("media tokens", () => {
  it("verifies what it signed, carrying the grant", () => {
    expect(verifyMediaToken(key, signMediaToken(key, grant), 1_900_000_000)).toEqual({ ok: true, grant });
  });

  it("is URL-path safe, so it can sit in a path segment", () => {
    expect(signMediaToken(key, grant)).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
  });

  it("refuses an expired token", () => {
    expect(verifyMediaToken(key, signMediaToken(key, grant), grant.expiresAt)).toEqual({ ok: false, reason: "expired" });
  });

  it("refuses a token whose grant was changed (a raised cap, another video, a later expiry)", () => {
    const [, sig] = signMediaToken(key, grant).split(".");
    for (const forged of [{ ...grant, maxShortSide: 2160 }, { ...grant, prefix: "videos/other/" }, { ...grant, expiresAt: grant.expiresAt + 3600 }]) {
      const payload = Buffer.from(JSON.stringify({ p: forged.prefix, e: forged.expiresAt, q: forged.maxShortSide, s: forged.sessionId })).toString("base64url");
      expect(verifyMediaToken(key, `${payload}.${sig}`, 1_900_000_000)).toEqual({ ok: false, reason: "bad-signature" });
    }
  });

  it("accepts one spelling of a signature only: every other last character is refused", () => {
    const token = signMediaToken(key, grant);
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const accepted = [...alphabet].filter((c) => verifyMediaToken(key, token.slice(0, -1) + c, 1_900_000_000).ok);
    expect(accepted).toEqual([token.at(-1)]);
  });

  it("refuses a token signed with another key, and garbage", () => {
    expect(verifyMediaToken(key, signMediaToken(randomBytes(32), grant), 1_900_000_000)).toEqual({ ok: false, reason: "bad-signature" });
    for (const junk of ["", ".", "abc", "a.b.c", "e30.AAAA"]) expect(verifyMediaToken(key, junk, 1_900_000_000).ok).toBe(false);
  });

  it("will not sign a prefix that escapes its folder or a short key", () => {
    for (const prefix of ["videos/../", "/videos/x/", "videos/x", "videos//x/"]) expect(() => signMediaToken(key, { ...grant, prefix })).toThrow(/prefix/);
    expect(() => signMediaToken(randomBytes(16), grant)).toThrow(/at least 32 bytes/);
  });
});
