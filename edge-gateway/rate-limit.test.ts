import { beforeAll, describe, expect, it } from "vitest";
import { createTokenSigner, createTokenVerifier, generateAuthKeyPair, type TokenSigner, type TokenVerifier } from "../platform/auth/tokens.js";
import { createMemoryKv } from "../platform/storage/kv-memory.js";
import { RateLimiter } from "./rate-limit.js";

describe("edge rate limits", () => {
  let signer: TokenSigner;
  let verifier: TokenVerifier;
  beforeAll(async () => {
    const keys = await generateAuthKeyPair();
    signer = await createTokenSigner(keys.privateKeyPem);
    verifier = await createTokenVerifier(keys.publicKeyPem);
  });
  const bearer = async (s: TokenSigner, userId: string) => `Bearer ${(await s.sign({ userId, role: "member", sessionId: "s" }, 60)).token}`;

  it("refuses a client address past its per-minute limit, others unaffected", async () => {
    const limiter = new RateLimiter(createMemoryKv(), { perIpPerMinute: 3, perUserPerMinute: 0 }, verifier);
    for (let i = 0; i < 3; i++) expect(await limiter.check("10.0.0.1", undefined)).toEqual({ allowed: true });
    expect(await limiter.check("10.0.0.1", undefined)).toMatchObject({ allowed: false, scope: "ip", retryAfterSeconds: 60 });
    expect(await limiter.check("10.0.0.2", undefined)).toEqual({ allowed: true });
  });

  it("counts one account's requests across addresses", async () => {
    const token = await bearer(signer, "u-1");
    const limiter = new RateLimiter(createMemoryKv(), { perIpPerMinute: 0, perUserPerMinute: 2 }, verifier);
    expect(await limiter.check("10.0.0.1", token)).toEqual({ allowed: true });
    expect(await limiter.check("10.0.0.2", token)).toEqual({ allowed: true });
    expect(await limiter.check("10.0.0.3", token)).toMatchObject({ allowed: false, scope: "user" });
    expect(await limiter.check("10.0.0.3", undefined)).toEqual({ allowed: true });
  });

  it("does not let a forged token naming a victim spend the victim's allowance", async () => {
    const forger = await createTokenSigner((await generateAuthKeyPair()).privateKeyPem);
    const payload = Buffer.from(JSON.stringify({ sub: "victim" })).toString("base64url");
    const limiter = new RateLimiter(createMemoryKv(), { perIpPerMinute: 0, perUserPerMinute: 2 }, verifier);
    for (let i = 0; i < 5; i++) {
      expect(await limiter.check("10.6.6.6", await bearer(forger, "victim"))).toEqual({ allowed: true });
      expect(await limiter.check("10.6.6.6", `Bearer x.${payload}.y`)).toEqual({ allowed: true });
    }
    const victim = await bearer(signer, "victim");
    expect(await limiter.check("10.0.0.1", victim)).toEqual({ allowed: true });
    expect(await limiter.check("10.0.0.1", victim)).toEqual({ allowed: true });
  });
});
