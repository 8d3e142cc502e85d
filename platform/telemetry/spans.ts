import { ConnectError } from "@connectrpc/connect";
import { context, SpanKind, SpanStatusCode, trace, type Attributes, type Context, type Span } from "@opentelemetry/api";
import { tracer, tracingOn } from "./tracer.js";

export interface SpanOptions {
  kind: SpanKind;
  attributes?: Attributes;
  /** The parent (e.g. the context a message carried); the active context when absent. */
  parent?: Context;
}

/**
 * Runs `fn` inside a new span, active for everything `fn` awaits; the span ends when `fn`
 * settles and records a throw as its error. With tracing off it is `fn()`.
 */
export async function inSpan<T>(name: string, options: SpanOptions, fn: (span: Span | undefined) => Promise<T>): Promise<T> {
  if (!tracingOn()) return fn(undefined);
  const parent = options.parent ?? context.active();
  const span = tracer.startSpan(name, { kind: options.kind, attributes: options.attributes }, parent);
  try {
    return await context.with(trace.setSpan(parent, span), () => fn(span));
  } catch (err) {
    failSpan(span, err);
    throw err;
  } finally {
    span.end();
  }
}

/**
 * A span named `<service>/<method>` for one RPC (client or server side), with the OpenTelemetry
 * RPC attributes and the gRPC status code the call ended with.
 */
export function inRpcSpan<T>(service: string, method: string, kind: SpanKind, parent: Context | undefined, fn: () => Promise<T>): Promise<T> {
  const attributes = { "rpc.system": "grpc", "rpc.service": service, "rpc.method": method };
  return inSpan(`${service}/${method}`, { kind, attributes, parent }, async (span) => {
    try {
      const res = await fn();
      span?.setAttribute("rpc.grpc.status_code", 0);
      return res;
    } catch (err) {
      span?.setAttribute("rpc.grpc.status_code", ConnectError.from(err).code);
      throw err;
    }
  });
}

/** Marks a span failed with the error's message. */
export function failSpan(span: Span, err: unknown): void {
  span.recordException(err instanceof Error ? err : String(err));
  span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
}

export { SpanKind };
