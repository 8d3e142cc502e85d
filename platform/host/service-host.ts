import type { DescService } from "@bufbuild/protobuf";
import type { ConnectRouter } from "@connectrpc/connect";
import { Code, ConnectError } from "@connectrpc/connect";
import { compressionBrotli, compressionGzip } from "@connectrpc/connect-node";
import { Registry, collectDefaultMetrics } from "prom-client";
import type { Logger } from "pino";
import type { TokenVerifier } from "../auth/tokens.js";
import { authInterceptor } from "../interceptors/auth.js";
import { metricsInterceptor } from "../interceptors/metrics.js";
import { requestScopeInterceptor } from "../interceptors/request-scope.js";
import { streamLimitsInterceptor } from "../interceptors/stream-limits.js";
import { validationInterceptor } from "../interceptors/validation.js";
import { tracingInterceptor } from "../telemetry/server-interceptor.js";
import { applyCors } from "../http/cors.js";
import { serveOperatorEndpoint } from "../http/operator-endpoints.js";
import { Health } from "../../gen/grpc/health/v1/health_pb.js";
import { ServerReflection } from "../../gen/grpc/reflection/v1/reflection_pb.js";
import { createGrpcUnaryFastPath } from "./grpc-unary-fast-path.js";
import { HealthRegistry, ServingStatus } from "./health.js";
import { InFlightCalls } from "./in-flight.js";
import { startOperatorServer } from "./operator-server.js";
import { DualProtocolListener, type ListenerTimeouts, type NodeReq, type NodeRes } from "./listener.js";
import { registerReflection } from "./reflection.js";
import { createRpcHandler } from "./rpc-handler.js";
import type { FaultSwitch } from "./faults.js";
import { DEFAULT_RPC_LIMITS, type RpcLimits } from "./service-config.js";
import { recordUnaryMethods, type UnaryImplSpec } from "./unary-methods.js";

export interface ServiceHostOptions {
  /** Process name for logs and metrics, e.g. "catalog". */
  name: string;
  port: number;
  host: string;
  logger: Logger;
  verifier: TokenVerifier;
  /** The gRPC services this process serves (health and reflection are added). */
  services: DescService[];
  /** Registers the handlers; RPCs left out answer UNIMPLEMENTED. */
  routes: (router: ConnectRouter) => void;
  /** Deadline applied to calls that set none, and the cap on those that do. */
  maxTimeoutMs: number;
  /** How long shutdown waits for in-flight unary calls before cutting streams and sockets. */
  shutdownGraceMs: number;
  /** Plain HTTP the RPC router does not own (e.g. tus uploads); resolves true when it answered. */
  http?: HttpHandler;
  /** Request size and stream bounds (DEFAULT_RPC_LIMITS when absent). */
  limits?: RpcLimits;
  /** Idle socket timeouts of the port (the listener's defaults when absent). */
  timeouts?: ListenerTimeouts;
  /** Port of the operator endpoints (`/metrics`, health, reflection); 0 or absent: any free port. */
  operatorPort?: number;
  /** Faults operators may inject through the operator port; absent: none can be. */
  faults?: FaultSwitch;
}

export type HttpHandler = (req: NodeReq, res: NodeRes) => Promise<boolean>;

export interface ServiceHost {
  port: number;
  url: string;
  /** Where `/metrics`, health and reflection are served for operators. */
  operatorUrl: string;
  health: HealthRegistry;
  metrics: Registry;
  /** Graceful stop: refuse new work, finish in-flight calls, end streams, close sockets. */
  close(): Promise<void>;
}

/**
 * Serves a process's RPCs over gRPC, gRPC-web and Connect on one port, with health, reflection of
 * its own services, `/healthz` `/livez` `/readyz`, and the platform interceptors (request scope,
 * metrics, auth, validation) on every call; `/metrics` and the same health and reflection on its
 * operator port.
 */
export async function startServiceHost(opts: ServiceHostOptions): Promise<ServiceHost> {
  const metrics = new Registry();
  metrics.setDefaultLabels({ service: opts.name });
  collectDefaultMetrics({ register: metrics });
  const health = new HealthRegistry(opts.services.map((s) => s.typeName));
  const calls = new InFlightCalls();
  const unaryMethods = new Map<string, UnaryImplSpec>();
  const limits = opts.limits ?? DEFAULT_RPC_LIMITS;
  // One set of options for both ways a call is served, so they apply the same rules.
  const handlerOptions = {
    interceptors: [
      tracingInterceptor(),
      requestScopeInterceptor(opts.logger, opts.maxTimeoutMs),
      metricsInterceptor(metrics),
      ...(opts.faults === undefined ? [] : [opts.faults.interceptor()]),
      authInterceptor(opts.verifier),
      streamLimitsInterceptor(limits),
      validationInterceptor(),
    ],
    maxTimeoutMs: opts.maxTimeoutMs,
    // Applies to each message after decompression too (zlib stops inflating at the limit).
    readMaxBytes: limits.maxRequestBytes,
    acceptCompression: [compressionGzip, compressionBrotli],
  };

  /** Requests no RPC route matched: the service's own HTTP endpoints, then /metrics and /healthz. */
  const serveFallback = async (req: NodeReq, res: NodeRes): Promise<void> => {
    try {
      if (opts.http !== undefined && (await opts.http(req, res))) return;
    } catch (err) {
      opts.logger.error({ err, url: req.url }, "HTTP handler failed");
      if (res.headersSent) res.destroy();
      else {
        res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ code: "internal", message: "internal error" }));
      }
      return;
    }
    if (await serveOperatorEndpoint(req, res, { health })) return;
    res.writeHead(404, { "content-type": "application/json" });
    res.end(JSON.stringify({ code: "not_found", message: `no route for ${req.method} ${(req.url ?? "/").split("?")[0]}` }));
  };

  const handler = createRpcHandler({
    ...handlerOptions,
    logger: opts.logger,
    interceptors: [calls.interceptor(), ...handlerOptions.interceptors],
    routes: (connectRouter) => {
      const router = recordUnaryMethods(connectRouter, unaryMethods);
      opts.routes(router);
      health.register(router);
      registerReflection(router, [...opts.services, Health, ServerReflection]);
    },
    fallback: (req, res) => void serveFallback(req, res),
  });
  const fastPath = createGrpcUnaryFastPath({ methods: unaryMethods, handlerOptions, calls });
  // Browsers (gRPC-web on TV devices, Connect from web apps) may call a service directly in dev.
  const listener = new DualProtocolListener((req, res) => {
    if (!applyCors(req, res, [])) handler(req, res);
  }, fastPath, opts.timeouts);
  const port = await listener.listen(opts.port, opts.host);
  const operator = await startOperatorServer({ port: opts.operatorPort ?? 0, host: opts.host, metrics, health, reflect: opts.services, faults: opts.faults });
  health.setAll(ServingStatus.SERVING);
  const url = `http://${opts.host}:${port}`;
  opts.logger.info({ port, url, operatorUrl: operator.url }, `${opts.name} listening`);

  return {
    port,
    url,
    operatorUrl: operator.url,
    health,
    metrics,
    async close() {
      health.setAll(ServingStatus.NOT_SERVING);
      listener.stopAccepting();
      const graceOver = new Promise<void>((r) => setTimeout(r, opts.shutdownGraceMs).unref());
      await Promise.race([calls.unaryDrained(), graceOver]);
      calls.abortAll(new ConnectError("the server is shutting down", Code.Unavailable));
      // Give aborted streams a moment to send their trailers before the sockets go.
      await new Promise((r) => setTimeout(r, 50));
      listener.destroyAll();
      operator.close();
    },
  };
}
