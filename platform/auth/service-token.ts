import { randomUUID } from "node:crypto";
import { createTokenSigner } from "./tokens.js";

/**
 * Tokens a Cinemesh process presents when it calls another on its own behalf (a queue consumer,
 * the encoding worker), with role `service` and subject `service:<name>`. They are short-lived and
 * re-minted before they expire. They are signed with the service key (SERVICE_TOKEN_PRIVATE_KEY),
 * never the identity key, so every verifier reads them as `service` and nothing else: they pass
 * requireAdminOrService, never requireUser or requireAdmin.
 */
export async function createServiceTokenSource(servicePrivateKeyPem: string, service: string, ttlSeconds = 300): Promise<() => Promise<string>> {
  const signer = await createTokenSigner(servicePrivateKeyPem, "service");
  let current: { header: string; expiresAt: number } | undefined;
  return async () => {
    if (current === undefined || current.expiresAt - Date.now() / 1000 < ttlSeconds / 5) {
      const { token, expiresAt } = await signer.sign({ userId: `service:${service}`, role: "service", sessionId: randomUUID() }, ttlSeconds);
      current = { header: `Bearer ${token}`, expiresAt };
    }
    return current.header;
  };
}
