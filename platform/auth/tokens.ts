import { SignJWT, exportPKCS8, exportSPKI, generateKeyPair, importPKCS8, importSPKI, jwtVerify, errors, type JWTHeaderParameters } from "jose";

type PublicKey = Awaited<ReturnType<typeof importSPKI>>;

/**
 * Access tokens are short-lived JWTs signed with Ed25519. Two key pairs sign them, and each may
 * only vouch for its own kind of caller:
 *
 * - the identity key (held by the identity service alone) signs people's tokens: `member`, `admin`;
 * - the service key (held by the processes that call others on their own behalf, e.g. the
 *   encoding worker) signs `service` tokens only.
 *
 * Every process holds the public keys and verifies tokens itself, so no service ever has to trust a
 * user id supplied by its caller, and a process that parses hostile input (ffmpeg) holds nothing
 * that could make it a member or an admin. The JWT's `kid` says which key signed it; the verifier
 * picks that key and refuses a role the key may not grant.
 */
/** `service`: another Cinemesh process acting on its own behalf (e.g. the encoding worker), not a person. */
export type Role = "member" | "admin" | "service";

/** Which key pair signs a token; the JWT `kid`. Tokens without a `kid` are identity tokens. */
export type TokenKind = "identity" | "service";

/** The roles each key may grant. */
const ROLES_BY_KIND: Record<TokenKind, readonly Role[]> = { identity: ["member", "admin"], service: ["service"] };

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

export interface VerifierOptions {
  /** PEM of the service key's public half; without it every `service` token is refused. */
  servicePublicKeyPem?: string;
  /** How many verified tokens to remember (until they expire). */
  cacheSize?: number;
}

/** Verifies tokens with the public keys; remembers recently verified tokens until they expire. */
export async function createTokenVerifier(identityPublicKeyPem: string, options: VerifierOptions = {}): Promise<TokenVerifier> {
  const keys: Record<TokenKind, PublicKey | undefined> = {
    identity: await importSPKI(identityPublicKeyPem, ALG),
    service: options.servicePublicKeyPem === undefined ? undefined : await importSPKI(options.servicePublicKeyPem, ALG),
  };
  const cacheSize = options.cacheSize ?? 10_000;
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
      let kind: TokenKind;
      try {
        ({ payload, kind } = await verifyWithKindKey(token, keys));
      } catch (err) {
        throw new InvalidTokenError(err instanceof errors.JWTExpired ? "expired" : "invalid");
      }
      const role = payload.role;
      if (typeof payload.sub !== "string" || typeof role !== "string" || !ROLES_BY_KIND[kind].includes(role as Role) || typeof payload.sid !== "string" || typeof payload.exp !== "number") {
        throw new InvalidTokenError("invalid");
      }
      const claims: Claims = { userId: payload.sub, role: role as Role, sessionId: payload.sid, expiresAt: payload.exp };
      if (verified.size >= cacheSize) verified.delete(verified.keys().next().value as string);
      verified.set(token, claims);
      return claims;
    },
  };
}

async function verifyWithKindKey(token: string, keys: Record<TokenKind, PublicKey | undefined>) {
  // Set by the key resolver, which jose calls before checking the signature.
  const chosen: { kind: TokenKind } = { kind: "identity" };
  const { payload } = await jwtVerify(
    token,
    (header: JWTHeaderParameters) => {
      chosen.kind = tokenKind(header.kid);
      const key = keys[chosen.kind];
      if (key === undefined) throw new Error(`no ${chosen.kind} key to verify with`);
      return key;
    },
    { issuer: ISSUER, audience: AUDIENCE, algorithms: [ALG] },
  );
  return { payload, kind: chosen.kind };
}

function tokenKind(kid: string | undefined): TokenKind {
  if (kid === undefined || kid === "identity") return "identity";
  if (kid === "service") return "service";
  throw new Error(`unknown key id ${kid}`);
}

export interface TokenSigner {
  sign(claims: Omit<Claims, "expiresAt">, ttlSeconds: number): Promise<{ token: string; expiresAt: number }>;
}

/** A signer for one key pair; it refuses to sign a role its key may not grant. */
export async function createTokenSigner(privateKeyPem: string, kind: TokenKind = "identity"): Promise<TokenSigner> {
  const key = await importPKCS8(privateKeyPem, ALG);
  return {
    async sign(claims, ttlSeconds) {
      if (!ROLES_BY_KIND[kind].includes(claims.role)) throw new Error(`the ${kind} key does not sign ${claims.role} tokens`);
      const now = Math.floor(Date.now() / 1000);
      const expiresAt = now + ttlSeconds;
      const token = await new SignJWT({ role: claims.role, sid: claims.sessionId })
        .setProtectedHeader({ alg: ALG, kid: kind })
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
