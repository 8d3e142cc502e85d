import { randomUUID } from "node:crypto";
import type { Interceptor } from "@connectrpc/connect";
import type { Logger } from "pino";
import { callScope, requestedTimeoutMs } from "../rpc/call-scope.js";
import { kLogger, kRequestId, PROFILE_ID_HEADER } from "../rpc/context.js";

/**
 * Opens the call scope: a request id (taken from `x-request-id` or made), a logger carrying it, and
 * the deadline and credentials that outgoing calls made by the handler inherit. A deadline longer
 * than `maxTimeoutMs` (or none) is capped, so no call can hold resources forever.
 */
export function requestScopeInterceptor(logger: Logger, maxTimeoutMs: number): Interceptor {
  return (next) => async (req) => {
    const requestId = req.header.get("x-request-id") || randomUUID();
    const log = logger.child({ requestId, rpc: `${req.service.typeName}/${req.method.name}` });
    req.contextValues.set(kRequestId, requestId);
    req.contextValues.set(kLogger, log);
    const timeout = Math.min(requestedTimeoutMs(req.header) ?? maxTimeoutMs, maxTimeoutMs);
    const scope = {
      requestId,
      deadline: Date.now() + timeout,
      authorization: req.header.get("authorization") ?? undefined,
      profileId: req.header.get(PROFILE_ID_HEADER) ?? undefined,
    };
    const res = await callScope.run(scope, () => next(req));
    res.header.set("x-request-id", requestId);
    return res;
  };
}
