import { describe, expect, it } from "vitest";
import { createServiceTokenSource } from "./service-token.js";
import { createTokenSigner, createTokenVerifier, generateAuthKeyPair, InvalidTokenError } from "./tokens.js";

describe("service tokens", () => {
  it("mint a verifiable token with the service role, reused until close to expiry", async () => {
    const [identity, service] = await Promise.all([generateAuthKeyPair(), generateAuthKeyPair()]);
    const token = await createServiceTokenSource(service.privateKeyPem, "media");
    const header = await token();
    expect(await token()).toBe(header);
    const verifier = await createTokenVerifier(identity.publicKeyPem, { servicePublicKeyPem: service.publicKeyPem });
    expect(await verifier.verify(header.replace(/^Bearer /, ""))).toMatchObject({ userId: "service:media", role: "service" });
  });

  it("a process holding only the service key cannot mint a token for a person", async () => {
    const [identity, service] = await Promise.all([generateAuthKeyPair(), generateAuthKeyPair()]);
    const verifier = await createTokenVerifier(identity.publicKeyPem, { servicePublicKeyPem: service.publicKeyPem });
    // Its own signer refuses; a signer it builds around the key as if it were identity's is refused everywhere.
    await expect((await createTokenSigner(service.privateKeyPem, "service")).sign({ userId: "u", role: "admin", sessionId: "s" }, 60)).rejects.toThrow();
    const pretending = await createTokenSigner(service.privateKeyPem, "identity");
    for (const role of ["admin", "member"] as const) {
      const { token } = await pretending.sign({ userId: "u", role, sessionId: "s" }, 60);
      await expect(verifier.verify(token)).rejects.toBeInstanceOf(InvalidTokenError);
    }
  });
});
