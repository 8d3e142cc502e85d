import { describe, expect, it } from "vitest";
import { createServiceTokenSource } from "./service-token.js";
import { createTokenVerifier, generateAuthKeyPair } from "./tokens.js";

describe("service tokens", () => {
  it("mint a verifiable token with the service role, reused until close to expiry", async () => {
    const keys = await generateAuthKeyPair();
    const token = await createServiceTokenSource(keys.privateKeyPem, "media");
    const header = await token();
    expect(await token()).toBe(header);
    const claims = await (await createTokenVerifier(keys.publicKeyPem)).verify(header.replace(/^Bearer /, ""));
    expect(claims).toMatchObject({ userId: "service:media", role: "service" });
  });
});
