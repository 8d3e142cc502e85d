import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import { InvalidTokenError, type TokenVerifier } from "../auth/tokens.js";
import { kClaims } from "../rpc/context.js";

/**
 * Verifies a bearer token when one is present and puts its claims in the handler context. A bad
 * or expired token is UNAUTHENTICATED on every RPC; whether a call needs a signed-in caller (or an
 * admin) is the handler's decision (requireUser / requireAdmin), made on verified claims only.
 */
export function authInterceptor(verifier: TokenVerifier): Interceptor {
  return (next) => async (req) => {
    const header = req.header.get("authorization");
    if (header !== null) {
      const m = /^Bearer\s+(\S+)$/i.exec(header);
      if (!m) throw new ConnectError("malformed Authorization header: expected 'Bearer <token>'", Code.Unauthenticated);
      try {
        req.contextValues.set(kClaims, await verifier.verify(m[1]));
      } catch (err) {
        if (err instanceof InvalidTokenError) throw new ConnectError(err.message, Code.Unauthenticated);
        throw err;
      }
    }
    return next(req);
  };
}
