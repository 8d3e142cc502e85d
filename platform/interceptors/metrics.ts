import type { DescMethod } from "@bufbuild/protobuf";
import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import { Counter, Histogram, type Registry } from "prom-client";

/**
 * RED metrics for every RPC a process serves: rate and errors (by gRPC code) in
 * `grpc_server_handled_total`, duration in `grpc_server_handling_seconds`. For streams the
 * duration is the time to the response headers, the count is per call.
 */
export function metricsInterceptor(registry: Registry): Interceptor {
  const handled = new Counter({
    name: "grpc_server_handled_total",
    help: "RPCs completed by the server, by service, method and status code.",
    labelNames: ["grpc_service", "grpc_method", "grpc_code"],
    registers: [registry],
  });
  const duration = new Histogram({
    name: "grpc_server_handling_seconds",
    help: "Time to handle an RPC (to the first response for streams).",
    labelNames: ["grpc_service", "grpc_method"],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  // The label values of a method never change: resolve them once, not on every call.
  const series = new WeakMap<DescMethod, { ok: { inc(): void }; duration: { observe(seconds: number): void } }>();
  const seriesOf = (service: string, method: DescMethod) => {
    let s = series.get(method);
    if (s === undefined) {
      s = { ok: handled.labels(service, method.name, "OK"), duration: duration.labels(service, method.name) };
      series.set(method, s);
    }
    return s;
  };
  return (next) => async (req) => {
    const s = seriesOf(req.service.typeName, req.method);
    const start = performance.now();
    try {
      const res = await next(req);
      s.ok.inc();
      return res;
    } catch (err) {
      handled.inc({ grpc_service: req.service.typeName, grpc_method: req.method.name, grpc_code: grpcCodeName(ConnectError.from(err).code) });
      throw err;
    } finally {
      s.duration.observe((performance.now() - start) / 1000);
    }
  };
}

/** `InvalidArgument` → `INVALID_ARGUMENT`, the names gRPC dashboards expect. */
function grpcCodeName(code: Code): string {
  return Code[code].replace(/([a-z])([A-Z])/g, "$1_$2").toUpperCase();
}
