import { randomUUID } from "node:crypto";
import { createTokenSigner } from "./tokens.js";

/**
 * Tokens a Cinemesh process presents when it calls another on its own behalf (a queue consumer,
 * the encoding worker), with role `service` and subject `service:<name>`. They are short-lived and
 * re-minted before they expire. Only processes given the signing key (AUTH_PRIVATE_KEY[_FILE]) can
 * mint them; the others verify them like any token.
 */
export async function createServiceTokenSource(privateKeyPem: string, service: string, ttlSeconds = 300): Promise<() => Promise<string>> {
  const signer = await createTokenSigner(privateKeyPem);
  let current: { header: string; expiresAt: number } | undefined;
  return async () => {
    if (current === undefined || current.expiresAt - Date.now() / 1000 < ttlSeconds / 5) {
      const { token, expiresAt } = await signer.sign({ userId: `service:${service}`, role: "service", sessionId: randomUUID() }, ttlSeconds);
      current = { header: `Bearer ${token}`, expiresAt };
    }
    return current.header;
  };
}
