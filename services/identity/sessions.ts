import { createHash, randomBytes } from "node:crypto";
import type { Role, TokenSigner } from "../../platform/auth/tokens.js";
import { DomainError } from "./errors.js";
import type { IdentityStore, IdentityTx } from "./store.js";

/**
 * Login sessions: a short-lived signed access token (stateless, verified by every service with the
 * public key) plus an opaque refresh token (random 256 bits, stored only as its sha256). Each
 * refresh rotates the refresh token; presenting a token that was already rotated means a copy
 * leaked, so the whole session (token family) is revoked and both holders must log in again.
 * Revoking a session stops refreshes at once; access tokens already issued live out their short TTL.
 */
export interface SessionSettings {
  signer: TokenSigner;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
}

export interface SessionTokens {
  sessionId: string;
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

/** A session opened in a transaction, waiting for its access token once the transaction commits. */
export interface OpenedSession {
  sessionId: string;
  refreshToken: string;
}

export function hashRefreshToken(token: string): Buffer {
  return createHash("sha256").update(token, "utf8").digest();
}

export async function openSession(tx: IdentityTx, settings: SessionSettings, userId: string): Promise<OpenedSession> {
  const refreshToken = newRefreshToken();
  const sessionId = await tx.createSession(userId, hashRefreshToken(refreshToken), settings.refreshTokenTtlSeconds);
  return { sessionId, refreshToken };
}

export async function sessionTokens(settings: SessionSettings, user: { id: string; role: Role }, opened: OpenedSession): Promise<SessionTokens> {
  const { token } = await settings.signer.sign({ userId: user.id, role: user.role, sessionId: opened.sessionId }, settings.accessTokenTtlSeconds);
  return { sessionId: opened.sessionId, accessToken: token, refreshToken: opened.refreshToken, expiresIn: settings.accessTokenTtlSeconds };
}

/** Exchanges a refresh token for new tokens; UNAUTHENTICATED (and the family revoked) on reuse. */
export async function refreshSession(store: IdentityStore, settings: SessionSettings, refreshToken: string): Promise<SessionTokens> {
  const presented = hashRefreshToken(refreshToken);
  const next = newRefreshToken();
  // The transaction commits in every outcome, so revoking a reused token's family sticks although the call fails.
  const outcome = await store.transaction(async (tx) => {
    const state = await tx.lockRefreshToken(presented);
    if (state === undefined || state.expired || state.sessionRevoked) return undefined;
    if (state.used) {
      await tx.revokeSession(state.sessionId, "refresh token reused");
      return undefined;
    }
    await tx.rotateRefreshToken(state.sessionId, presented, hashRefreshToken(next), settings.refreshTokenTtlSeconds);
    return state;
  });
  if (outcome === undefined) throw new DomainError("unauthenticated", "refresh token is invalid, expired or revoked: log in again");
  return sessionTokens(settings, { id: outcome.userId, role: outcome.role }, { sessionId: outcome.sessionId, refreshToken: next });
}

export type LogoutTarget = { allSessions: true } | { refreshToken: string } | { sessionId: string };

/** Revokes the caller's session(s); answers whether the target was one of the caller's. */
export async function logout(store: IdentityStore, userId: string, target: LogoutTarget): Promise<boolean> {
  return store.transaction(async (tx) => {
    if ("allSessions" in target) {
      await tx.revokeAllSessions(userId, "logout (all sessions)");
      return true;
    }
    const which = "refreshToken" in target ? { refreshTokenHash: hashRefreshToken(target.refreshToken) } : { sessionId: target.sessionId };
    return tx.revokeOwnSession(userId, which, "logout");
  });
}

function newRefreshToken(): string {
  return randomBytes(32).toString("base64url");
}
