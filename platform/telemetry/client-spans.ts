import type { DescMethod } from "@bufbuild/protobuf";
import type { Interceptor } from "@connectrpc/connect";
import { context, propagation, SpanKind, type TextMapSetter } from "@opentelemetry/api";
import { inRpcSpan } from "./spans.js";
import { tracingOn } from "./tracer.js";

type HeadersInit = ConstructorParameters<typeof Headers>[0];

const headersSetter: TextMapSetter<Headers> = { set: (carrier, key, value) => carrier.set(key, value) };

/**
 * A CLIENT span around one outgoing unary call, its `traceparent` added to the call's headers.
 * `run` makes the call with those headers. Callers check tracingOn() first, so with tracing off
 * the call path is untouched.
 */
export function tracedUnaryCall<T>(method: DescMethod, header: HeadersInit | undefined, run: (header: Headers) => Promise<T>): Promise<T> {
  return inRpcSpan(method.parent.typeName, method.name, SpanKind.CLIENT, undefined, () => {
    const h = new Headers(header);
    propagation.inject(context.active(), h, headersSetter);
    return run(h);
  });
}

/** Sends the active trace context with calls made through a connect transport (streams). */
export function traceContextInterceptor(): Interceptor {
  return (next) => (req) => {
    if (tracingOn()) propagation.inject(context.active(), req.header, headersSetter);
    return next(req);
  };
}
