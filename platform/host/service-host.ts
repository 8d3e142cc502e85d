import type { DescService } from "@bufbuild/protobuf";
import type { ConnectRouter } from "@connectrpc/connect";
import { Code, ConnectError, cors as connectCors } from "@connectrpc/connect";
import { compressionBrotli, compressionGzip, connectNodeAdapter } from "@connectrpc/connect-node";
import { Registry, collectDefaultMetrics } from "prom-client";
import type { Logger } from "pino";
import type { TokenVerifier } from "../auth/tokens.js";
import { authInterceptor } from "../interceptors/auth.js";
import { metricsInterceptor } from "../interceptors/metrics.js";
import { requestScopeInterceptor } from "../interceptors/request-scope.js";
import { validationInterceptor } from "../interceptors/validation.js";
import { Health } from "../../gen/grpc/health/v1/health_pb.js";
import { ServerReflection } from "../../gen/grpc/reflection/v1/reflection_pb.js";
import { createGrpcUnaryFastPath } from "./grpc-unary-fast-path.js";
import { HealthRegistry, ServingStatus } from "./health.js";
import { InFlightCalls } from "./in-flight.js";
import { DualProtocolListener, type NodeReq, type NodeRes } from "./listener.js";
import { registerReflection } from "./reflection.js";
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
}

export type HttpHandler = (req: NodeReq, res: NodeRes) => Promise<boolean>;

export interface ServiceHost {
  port: number;
  url: string;
  health: HealthRegistry;
  metrics: Registry;
  /** Graceful stop: refuse new work, finish in-flight calls, end streams, close sockets. */
  close(): Promise<void>;
}

/**
 * Serves a process's RPCs over gRPC, gRPC-web and Connect on one port, with health, reflection,
 * `/metrics`, and the platform interceptors (request scope, metrics, auth, validation) on every call.
 */
export async function startServiceHost(opts: ServiceHostOptions): Promise<ServiceHost> {
  const metrics = new Registry();
  metrics.setDefaultLabels({ service: opts.name });
  collectDefaultMetrics({ register: metrics });
  const health = new HealthRegistry(opts.services.map((s) => s.typeName));
  const calls = new InFlightCalls();
  const unaryMethods = new Map<string, UnaryImplSpec>();
  // One set of options for both ways a call is served, so they apply the same rules.
  const handlerOptions = {
    interceptors: [
      requestScopeInterceptor(opts.logger, opts.maxTimeoutMs),
      metricsInterceptor(metrics),
      authInterceptor(opts.verifier),
      validationInterceptor(),
    ],
    maxTimeoutMs: opts.maxTimeoutMs,
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
    await serveOperational(req, res, metrics, health);
  };

  const handler = connectNodeAdapter({
    ...handlerOptions,
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
  const listener = new DualProtocolListener(withCors(handler), fastPath);
  const port = await listener.listen(opts.port, opts.host);
  health.setAll(ServingStatus.SERVING);
  const url = `http://${opts.host}:${port}`;
  opts.logger.info({ port, url }, `${opts.name} listening`);

  return {
    port,
    url,
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
    },
  };
}

async function serveOperational(req: NodeReq, res: NodeRes, metrics: Registry, health: HealthRegistry): Promise<void> {
  const path = (req.url ?? "/").split("?")[0];
  if (req.method === "GET" && path === "/metrics") {
    const body = await metrics.metrics();
    res.writeHead(200, { "content-type": metrics.contentType });
    res.end(body);
  } else if (req.method === "GET" && path === "/healthz") {
    const ok = health.status("") === ServingStatus.SERVING;
    res.writeHead(ok ? 200 : 503, { "content-type": "application/json" });
    res.end(JSON.stringify({ status: ok ? "SERVING" : "NOT_SERVING" }));
  } else {
    res.writeHead(404, { "content-type": "application/json" });
    res.end(JSON.stringify({ code: "not_found", message: `no route for ${req.method} ${path}` }));
  }
}

/** Lets browsers (gRPC-web on TV devices, Connect from web apps) call a service directly in dev. */
function withCors(handler: (req: NodeReq, res: NodeRes) => void) {
  const allowHeaders = connectCors.allowedHeaders.join(", ");
  const exposeHeaders = connectCors.exposedHeaders.join(", ");
  const allowMethods = connectCors.allowedMethods.join(", ");
  return (req: NodeReq, res: NodeRes) => {
    const origin = req.headers.origin;
    if (origin !== undefined) {
      res.setHeader("access-control-allow-origin", origin);
      res.setHeader("vary", "origin");
      res.setHeader("access-control-expose-headers", exposeHeaders);
      if (req.method === "OPTIONS") {
        res.writeHead(204, {
          "access-control-allow-methods": allowMethods,
          "access-control-allow-headers": `${allowHeaders}, authorization, profile-id, x-request-id`,
          "access-control-max-age": "7200",
        });
        res.end();
        return;
      }
    }
    handler(req, res);
  };
}
