import type { ServerResponse } from "node:http";
import { InvalidTokenError, type Claims, type TokenVerifier } from "../../../platform/auth/tokens.js";
import type { NodeReq, NodeRes } from "../../../platform/host/listener.js";

/** What the service host hands its plain-HTTP hook (HTTP/1.1 or HTTP/2 compatibility objects). */
export type Req = NodeReq;
export type Res = NodeRes;

/** A JSON error in the shape the edge and Connect use: `{code, message}`. */
export function replyError(res: Res, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  reply(res, status, { code, message }, headers);
}

export function reply(res: Res, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  const text = JSON.stringify(body);
  (res as ServerResponse).writeHead(status, { "content-type": "application/json", "content-length": String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}

/**
 * The verified claims of an admin caller, or undefined after answering 401/403. Plain HTTP does
 * not pass the RPC interceptors, so the upload endpoints verify the bearer token themselves.
 */
export async function requireAdminHttp(req: Req, res: Res, verifier: TokenVerifier): Promise<Claims | undefined> {
  const header = req.headers.authorization;
  const m = typeof header === "string" ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  if (!m) {
    replyError(res, 401, "unauthenticated", "sign in required: missing bearer token", { "www-authenticate": "Bearer" });
    return undefined;
  }
  let claims: Claims;
  try {
    claims = await verifier.verify(m[1]);
  } catch (err) {
    if (!(err instanceof InvalidTokenError)) throw err;
    replyError(res, 401, "unauthenticated", err.message, { "www-authenticate": "Bearer" });
    return undefined;
  }
  if (claims.role !== "admin") {
    replyError(res, 403, "permission_denied", "admin role required");
    return undefined;
  }
  return claims;
}

export function pathOf(req: Req): string {
  return (req.url ?? "/").split("?")[0];
}
