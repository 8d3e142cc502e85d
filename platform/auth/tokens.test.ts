import { SignJWT, importPKCS8 } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { createTokenSigner, createTokenVerifier, generateAuthKeyPair, InvalidTokenError, type TokenVerifier } from "./tokens.js";

type Pair = Awaited<ReturnType<typeof generateAuthKeyPair>>;

/** A token signed with `privateKeyPem` saying what the caller wants, bypassing our signer's checks. */
async function forge(privateKeyPem: string, header: { kid?: string }, role: string, sub = "someone"): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ role, sid: "s" })
    .setProtectedHeader({ alg: "EdDSA", ...header })
    .setSubject(sub)
    .setIssuer("cinemesh")
    .setAudience("cinemesh")
    .setIssuedAt(now)
    .setExpirationTime(now + 60)
    .sign(await importPKCS8(privateKeyPem, "EdDSA"));
}

describe("access tokens from two keys", () => {
  let identity: Pair;
  let service: Pair;
  let verifier: TokenVerifier;
  beforeAll(async () => {
    [identity, service] = await Promise.all([generateAuthKeyPair(), generateAuthKeyPair()]);
    verifier = await createTokenVerifier(identity.publicKeyPem, { servicePublicKeyPem: service.publicKeyPem });
  });

  it("accepts members and admins from the identity key and services from the service key", async () => {
    const people = await createTokenSigner(identity.privateKeyPem);
    const services = await createTokenSigner(service.privateKeyPem, "service");
    expect(await verifier.verify((await people.sign({ userId: "u", role: "admin", sessionId: "s" }, 60)).token)).toMatchObject({ userId: "u", role: "admin" });
    expect(await verifier.verify((await services.sign({ userId: "service:media", role: "service", sessionId: "s" }, 60)).token)).toMatchObject({ role: "service" });
  });

  it("refuses a token signed with the service key that claims admin or member, however it is labelled", async () => {
    for (const role of ["admin", "member"]) {
      for (const header of [{ kid: "service" }, { kid: "identity" }, {}]) {
        await expect(verifier.verify(await forge(service.privateKeyPem, header, role))).rejects.toBeInstanceOf(InvalidTokenError);
      }
    }
  });

  it("refuses a service role from the identity key, and service tokens when no service key is configured", async () => {
    await expect(verifier.verify(await forge(identity.privateKeyPem, {}, "service"))).rejects.toBeInstanceOf(InvalidTokenError);
    const identityOnly = await createTokenVerifier(identity.publicKeyPem);
    await expect(identityOnly.verify(await forge(service.privateKeyPem, { kid: "service" }, "service"))).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it("still accepts identity tokens minted before tokens carried a key id", async () => {
    expect(await verifier.verify(await forge(identity.privateKeyPem, {}, "member", "u-old"))).toMatchObject({ userId: "u-old", role: "member" });
  });

  it("signers refuse roles their key may not grant", async () => {
    const services = await createTokenSigner(service.privateKeyPem, "service");
    await expect(services.sign({ userId: "u", role: "admin", sessionId: "s" }, 60)).rejects.toThrow(/does not sign admin/);
    const people = await createTokenSigner(identity.privateKeyPem);
    await expect(people.sign({ userId: "service:x", role: "service", sessionId: "s" }, 60)).rejects.toThrow(/does not sign service/);
  });
});
