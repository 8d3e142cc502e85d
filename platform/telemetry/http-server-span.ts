import type { NodeReq, NodeRes } from "../host/listener.js";
import { SpanKind } from "@opentelemetry/api";
import { inSpan } from "./spans.js";
import { contextFrom, tracingOn } from "./tracer.js";

/**
 * A SERVER span around one HTTP request at the edge, child of the client's `traceparent` if it
 * sent one. `handle` resolves with the route it served, which names the span (`POST rest`).
 */
export function inHttpServerSpan(req: NodeReq, res: NodeRes, handle: () => Promise<string>): Promise<string> {
  if (!tracingOn()) return handle();
  const traceparent = req.headers.traceparent;
  const carrier: Record<string, string> = typeof traceparent === "string" ? { traceparent } : {};
  if (typeof req.headers.tracestate === "string") carrier.tracestate = req.headers.tracestate;
  const method = req.method ?? "GET";
  const attributes = { "http.request.method": method, "url.path": (req.url ?? "/").split("?")[0] };
  return inSpan(method, { kind: SpanKind.SERVER, attributes, parent: contextFrom(carrier) }, async (span) => {
    const route = await handle();
    span?.updateName(`${method} ${route}`);
    span?.setAttribute("http.response.status_code", res.statusCode);
    return route;
  });
}
