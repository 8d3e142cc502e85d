import type { Interceptor } from "@connectrpc/connect";
import { SpanKind } from "@opentelemetry/api";
import { inRpcSpan } from "./spans.js";
import { contextFrom, tracingOn } from "./tracer.js";

/**
 * A SERVER span per incoming RPC, child of the caller's `traceparent`, active while the handler
 * runs (so its calls, queries and events join the trace). Both ways a call is served (the gRPC
 * fast path and connect's handler) run the same interceptors, so both are traced.
 */
export function tracingInterceptor(): Interceptor {
  return (next) => async (req) => {
    if (!tracingOn()) return next(req);
    return inRpcSpan(req.service.typeName, req.method.name, SpanKind.SERVER, contextFrom(req.header), () => next(req));
  };
}
