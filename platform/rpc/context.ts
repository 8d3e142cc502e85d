import { Code, ConnectError, createContextKey, type HandlerContext } from "@connectrpc/connect";
import type { Logger } from "pino";
import type { Claims } from "../auth/tokens.js";

/** Values the platform's interceptors put in every handler's context. */
export const kClaims = createContextKey<Claims | undefined>(undefined, { description: "verified token claims" });
export const kRequestId = createContextKey<string>("", { description: "request id" });
export const kLogger = createContextKey<Logger | undefined>(undefined, { description: "request-scoped logger" });

/** The metadata key (the `Profile-Id` HTTP header at the edge) naming the profile a call acts for. */
export const PROFILE_ID_HEADER = "profile-id";

/** The verified claims of whoever calls, a person or a Cinemesh service; UNAUTHENTICATED without a token. */
export function requireCaller(ctx: HandlerContext): Claims {
  const claims = ctx.values.get(kClaims);
  if (claims === undefined) throw new ConnectError("sign in required: missing bearer token", Code.Unauthenticated);
  return claims;
}

/**
 * The caller's verified claims when the caller is a person (a member or an admin); a service token
 * is PERMISSION_DENIED: it names no account and may not act as one.
 */
export function requireUser(ctx: HandlerContext): Claims {
  const claims = requireCaller(ctx);
  if (claims.role === "service") throw new ConnectError("a service token cannot act as a user", Code.PermissionDenied);
  return claims;
}

/** The caller's verified claims when the caller is an admin; PERMISSION_DENIED for members. */
export function requireAdmin(ctx: HandlerContext): Claims {
  const claims = requireUser(ctx);
  if (claims.role !== "admin") throw new ConnectError("admin role required", Code.PermissionDenied);
  return claims;
}

/**
 * The caller's claims when it may call an internal, privileged RPC: an admin, or another Cinemesh
 * process with a service token (platform/auth/service-token.ts). PERMISSION_DENIED for members.
 */
export function requireAdminOrService(ctx: HandlerContext): Claims {
  const claims = requireCaller(ctx);
  if (claims.role !== "admin" && claims.role !== "service") throw new ConnectError("admin or service role required", Code.PermissionDenied);
  return claims;
}

/** The `profile-id` metadata of the call (not yet checked against the account: callers must). */
export function requireProfileIdHeader(ctx: HandlerContext): string {
  const id = ctx.requestHeader.get(PROFILE_ID_HEADER)?.trim();
  if (!id) throw new ConnectError("Profile-Id header required", Code.InvalidArgument);
  return id;
}

/**
 * The logger of the call being served: `base` with the call's request id and RPC name on every
 * line (set by the request-scope interceptor). Handlers log through it, and hand it to the domain
 * code they call, so an operator can follow one request across its log lines and services.
 */
export function callLog(ctx: HandlerContext, base: Logger): Logger {
  return ctx.values.get(kLogger) ?? base;
}
