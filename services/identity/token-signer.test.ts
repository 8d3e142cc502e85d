import { describe, expect, it } from "vitest";
import { createTokenVerifier, generateAuthKeyPair } from "../../platform/auth/tokens.js";
import { createCheckedTokenSigner } from "./token-signer.js";

describe("token signer", () => {
  it("signs tokens the public key verifies", async () => {
    const keys = await generateAuthKeyPair();
    const signer = await createCheckedTokenSigner(keys.privateKeyPem, keys.publicKeyPem);
    const { token } = await signer.sign({ userId: "u1", role: "admin", sessionId: "s1" }, 900);
    expect(await (await createTokenVerifier(keys.publicKeyPem)).verify(token)).toMatchObject({ userId: "u1", role: "admin", sessionId: "s1" });
  });

  it("refuses to start with a private key that does not match the public key, or that is not a key", async () => {
    const [a, b] = await Promise.all([generateAuthKeyPair(), generateAuthKeyPair()]);
    await expect(createCheckedTokenSigner(a.privateKeyPem, b.publicKeyPem)).rejects.toThrow(/does not match AUTH_PUBLIC_KEY/);
    await expect(createCheckedTokenSigner("not a pem", a.publicKeyPem)).rejects.toThrow(/not an Ed25519 private key/);
  });
});
