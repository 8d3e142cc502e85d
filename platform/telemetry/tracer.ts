import { context, propagation, ROOT_CONTEXT, trace, type Context, type TextMapGetter } from "@opentelemetry/api";

/**
 * The mesh's tracer, and whether a tracing SDK runs in this process. Without one (no
 * OTEL_EXPORTER_OTLP_ENDPOINT) the OpenTelemetry API is a no-op, and the hot paths (the gRPC
 * unary client and fast path) skip even the no-op calls: tracing off costs one boolean test.
 * OpenTelemetry's provider is process-global by design, so this flag is too; it is set once, by
 * startTracing, at process start.
 */
export const tracer = trace.getTracer("cinemesh");

let on = false;

export function tracingOn(): boolean {
  return on;
}

/** For startTracing only. */
export function markTracingOn(value: boolean): void {
  on = value;
}

/** W3C trace context (`traceparent`, `tracestate`) of the active span, as headers to send along. */
export function traceHeaders(into: Record<string, string> = {}): Record<string, string> {
  if (on) propagation.inject(context.active(), into);
  return into;
}

const recordGetter: TextMapGetter<Record<string, string>> = {
  get: (carrier, key) => carrier[key],
  keys: (carrier) => Object.keys(carrier),
};

const headersGetter: TextMapGetter<Headers> = {
  get: (carrier, key) => carrier.get(key) ?? undefined,
  keys: (carrier) => [...carrier.keys()],
};

/** The remote parent a message or request carries (its `traceparent`), or none. */
export function contextFrom(carrier: Record<string, string> | Headers): Context {
  if (!on) return ROOT_CONTEXT;
  return carrier instanceof Headers ? propagation.extract(ROOT_CONTEXT, carrier, headersGetter) : propagation.extract(ROOT_CONTEXT, carrier, recordGetter);
}
