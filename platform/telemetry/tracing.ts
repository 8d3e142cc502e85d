import { resourceFromAttributes } from "@opentelemetry/resources";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { BatchSpanProcessor, NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
import type { EnvReader } from "../config.js";
import { instrumentDrivers } from "./instrumentations.js";
import { markTracingOn } from "./tracer.js";

export interface TracingConfig {
  /** OTLP/HTTP base URL (`OTEL_EXPORTER_OTLP_ENDPOINT`); spans go to `<it>/v1/traces`. Absent: tracing off. */
  endpoint: string | undefined;
}

export function readTracingConfig(env: EnvReader): TracingConfig {
  return { endpoint: env.url("OTEL_EXPORTER_OTLP_ENDPOINT", ["http:", "https:"]) };
}

export interface Tracing {
  /** Sends the spans still buffered; call it last, at shutdown. */
  shutdown(): Promise<void>;
}

/**
 * Starts tracing for this process when an OTLP endpoint is configured: a tracer provider with
 * W3C trace-context propagation and AsyncLocalStorage context, spans batched and exported as
 * OTLP/HTTP JSON, the Postgres and Redis drivers instrumented. Without an endpoint nothing is
 * started: the OpenTelemetry API stays a no-op and incoming `traceparent`s are not propagated.
 * Once per process, at start (the provider is process-global).
 */
export function startTracing(service: string, config: TracingConfig): Tracing {
  if (config.endpoint === undefined) return { shutdown: async () => {} };
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ "service.name": service }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: `${config.endpoint.replace(/\/$/, "")}/v1/traces` }))],
  });
  // Registers the provider, the W3C trace-context and baggage propagator and the ALS context manager.
  provider.register();
  instrumentDrivers();
  markTracingOn(true);
  return { shutdown: () => provider.shutdown() };
}
