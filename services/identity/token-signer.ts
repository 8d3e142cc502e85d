import { createTokenSigner, createTokenVerifier, type TokenSigner } from "../../platform/auth/tokens.js";

/**
 * The access-token signer, checked at start against the public key every service verifies with:
 * a mismatched key pair would otherwise surface only as every token being rejected, everywhere.
 */
export async function createCheckedTokenSigner(privateKeyPem: string, publicKeyPem: string): Promise<TokenSigner> {
  let signer: TokenSigner;
  try {
    signer = await createTokenSigner(privateKeyPem);
  } catch (err) {
    throw new Error(`AUTH_PRIVATE_KEY is not an Ed25519 private key in PKCS#8 PEM: ${(err as Error).message}`);
  }
  const verifier = await createTokenVerifier(publicKeyPem, { cacheSize: 1 });
  const { token } = await signer.sign({ userId: "key-pair-check", role: "member", sessionId: "key-pair-check" }, 60);
  try {
    await verifier.verify(token);
  } catch {
    throw new Error("AUTH_PRIVATE_KEY does not match AUTH_PUBLIC_KEY: tokens it signs would be rejected by every service");
  }
  return signer;
}
