import { describe, expect, it } from "vitest";
import { createTokenSigner, generateAuthKeyPair } from "../platform/auth/tokens.js";
import { createMemoryKv } from "../platform/storage/kv-memory.js";
import { RateLimiter, tokenSubject } from "./rate-limit.js";

describe("edge rate limits", () => {
  it("refuses a client address past its per-minute limit, others unaffected", async () => {
    const limiter = new RateLimiter(createMemoryKv(), { perIpPerMinute: 3, perUserPerMinute: 0 });
    for (let i = 0; i < 3; i++) expect(await limiter.check("10.0.0.1", undefined)).toEqual({ allowed: true });
    expect(await limiter.check("10.0.0.1", undefined)).toMatchObject({ allowed: false, scope: "ip", retryAfterSeconds: 60 });
    expect(await limiter.check("10.0.0.2", undefined)).toEqual({ allowed: true });
  });

  it("counts one account's requests across addresses", async () => {
    const signer = await createTokenSigner((await generateAuthKeyPair()).privateKeyPem);
    const { token } = await signer.sign({ userId: "u-1", role: "member", sessionId: "s" }, 60);
    const limiter = new RateLimiter(createMemoryKv(), { perIpPerMinute: 0, perUserPerMinute: 2 });
    expect(await limiter.check("10.0.0.1", `Bearer ${token}`)).toEqual({ allowed: true });
    expect(await limiter.check("10.0.0.2", `Bearer ${token}`)).toEqual({ allowed: true });
    expect(await limiter.check("10.0.0.3", `Bearer ${token}`)).toMatchObject({ allowed: false, scope: "user" });
    expect(await limiter.check("10.0.0.3", undefined)).toEqual({ allowed: true });
  });

  it("reads the subject of a JWT and nothing from garbage", () => {
    const payload = Buffer.from(JSON.stringify({ sub: "abc" })).toString("base64url");
    expect(tokenSubject(`Bearer x.${payload}.y`)).toBe("abc");
    expect(tokenSubject("Bearer not-a-jwt")).toBeUndefined();
    expect(tokenSubject(`Bearer x.${Buffer.from("{oops").toString("base64url")}.y`)).toBeUndefined();
    expect(tokenSubject(undefined)).toBeUndefined();
  });
});
