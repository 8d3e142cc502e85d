import { SignJWT, exportPKCS8, exportSPKI, generateKeyPair, importPKCS8, importSPKI, jwtVerify, errors } from "jose";

/**
 * Access tokens are short-lived JWTs signed with Ed25519 by the identity service. Every other
 * process holds only the public key and verifies tokens itself, so no service ever has to trust a
 * user id supplied by its caller.
 */
/** `service`: another Cinemesh process acting on its own behalf (e.g. the encoding worker), not a person. */
export type Role = "member" | "admin" | "service";

const ROLES: readonly string[] = ["member", "admin", "service"];

export interface Claims {
  userId: string;
  role: Role;
  /** The login session (refresh-token family) the token belongs to. */
  sessionId: string;
  /** Expiry, seconds since the epoch. */
  expiresAt: number;
}

const ISSUER = "cinemesh";
const AUDIENCE = "cinemesh";
const ALG = "EdDSA";

export class InvalidTokenError extends Error {
  constructor(readonly reason: "expired" | "invalid") {
    super(reason === "expired" ? "token expired" : "invalid token");
    this.name = "InvalidTokenError";
  }
}

export interface TokenVerifier {
  verify(token: string): Promise<Claims>;
}

/** Verifies tokens with the public key; remembers recently verified tokens until they expire. */
export async function createTokenVerifier(publicKeyPem: string, cacheSize = 10_000): Promise<TokenVerifier> {
  const key = await importSPKI(publicKeyPem, ALG);
  const verified = new Map<string, Claims>();
  return {
    async verify(token) {
      const hit = verified.get(token);
      if (hit !== undefined) {
        if (hit.expiresAt * 1000 > Date.now()) return hit;
        verified.delete(token);
        throw new InvalidTokenError("expired");
      }
      let payload;
      try {
        ({ payload } = await jwtVerify(token, key, { issuer: ISSUER, audience: AUDIENCE, algorithms: [ALG] }));
      } catch (err) {
        throw new InvalidTokenError(err instanceof errors.JWTExpired ? "expired" : "invalid");
      }
      const role = payload.role;
      if (typeof payload.sub !== "string" || typeof role !== "string" || !ROLES.includes(role) || typeof payload.sid !== "string" || typeof payload.exp !== "number") {
        throw new InvalidTokenError("invalid");
      }
      const claims: Claims = { userId: payload.sub, role: role as Role, sessionId: payload.sid, expiresAt: payload.exp };
      if (verified.size >= cacheSize) verified.delete(verified.keys().next().value as string);
      verified.set(token, claims);
      return claims;
    },
  };
}

export interface TokenSigner {
  sign(claims: Omit<Claims, "expiresAt">, ttlSeconds: number): Promise<{ token: string; expiresAt: number }>;
}

export async function createTokenSigner(privateKeyPem: string): Promise<TokenSigner> {
  const key = await importPKCS8(privateKeyPem, ALG);
  return {
    async sign(claims, ttlSeconds) {
      const now = Math.floor(Date.now() / 1000);
      const expiresAt = now + ttlSeconds;
      const token = await new SignJWT({ role: claims.role, sid: claims.sessionId })
        .setProtectedHeader({ alg: ALG })
        .setSubject(claims.userId)
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt(now)
        .setExpirationTime(expiresAt)
        .sign(key);
      return { token, expiresAt };
    },
  };
}

export async function generateAuthKeyPair(): Promise<{ publicKeyPem: string; privateKeyPem: string }> {
  const { publicKey, privateKey } = await generateKeyPair(ALG, { crv: "Ed25519", extractable: true });
  return { publicKeyPem: await exportSPKI(publicKey), privateKeyPem: await exportPKCS8(privateKey) };
}
