import { randomUUID } from "node:crypto";
import type { Interceptor, StreamResponse } from "@connectrpc/connect";
import type { Logger } from "pino";
import { callScope, requestedTimeoutMs, type CallScope } from "../rpc/call-scope.js";
import { kLogger, kRequestId, PROFILE_ID_HEADER } from "../rpc/context.js";

/**
 * Opens the call scope: a request id (taken from `x-request-id` or made), a logger carrying it, and
 * the deadline and credentials that outgoing calls made by the handler inherit.
 *
 * A unary call's deadline is capped at `maxTimeoutMs` (and set to it when the caller gave none), so
 * no call can hold resources forever. A stream (progress, notifications) lives as long as its
 * client wants: it keeps the deadline its caller set, if any. The scope also covers the stream's
 * body, which runs after the handler has returned its response.
 */
export function requestScopeInterceptor(logger: Logger, maxTimeoutMs: number): Interceptor {
  return (next) => async (req) => {
    const requestId = req.header.get("x-request-id") || randomUUID();
    const log = logger.child({ requestId, rpc: `${req.service.typeName}/${req.method.name}` });
    req.contextValues.set(kRequestId, requestId);
    req.contextValues.set(kLogger, log);
    const requested = requestedTimeoutMs(req.header);
    const timeout = req.method.methodKind === "unary" ? Math.min(requested ?? maxTimeoutMs, maxTimeoutMs) : requested;
    const scope: CallScope = {
      requestId,
      deadline: timeout === undefined ? undefined : Date.now() + timeout,
      authorization: req.header.get("authorization") ?? undefined,
      profileId: req.header.get(PROFILE_ID_HEADER) ?? undefined,
    };
    const res = await callScope.run(scope, () => next(req));
    res.header.set("x-request-id", requestId);
    return res.stream ? { ...res, message: withinScope(scope, res.message) } : res;
  };
}

/** Runs each step of a response stream inside the call scope. */
function withinScope(scope: CallScope, messages: StreamResponse["message"]): StreamResponse["message"] {
  return {
    [Symbol.asyncIterator]() {
      const it = messages[Symbol.asyncIterator]();
      type Step = ReturnType<typeof it.next>;
      return {
        next: (): Step => callScope.run(scope, () => it.next()),
        return: (value?: unknown): Step => callScope.run(scope, () => (it.return ? it.return(value) : Promise.resolve({ done: true as const, value: undefined }))),
        throw: (err?: unknown): Step => callScope.run(scope, () => (it.throw ? it.throw(err) : Promise.reject(err))),
      };
    },
  };
}
