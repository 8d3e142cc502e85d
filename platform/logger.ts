import { trace } from "@opentelemetry/api";
import { pino, type Logger } from "pino";

export type { Logger };

/**
 * JSON logs on stdout, one object a line, with the process's service name on every line and,
 * inside a traced call or message, its `trace_id` and `span_id` (so a log line finds its trace).
 */
export function createLogger(service: string, level: string = "info"): Logger {
  return pino({ level, base: { service }, timestamp: pino.stdTimeFunctions.isoTime, mixin: traceFields });
}

const NONE = {};

function traceFields(): object {
  const span = trace.getActiveSpan();
  if (span === undefined) return NONE;
  const { traceId, spanId } = span.spanContext();
  return { trace_id: traceId, span_id: spanId };
}
