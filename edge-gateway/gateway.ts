import type { DescService } from "@bufbuild/protobuf";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { Logger } from "pino";
import { Health } from "../gen/grpc/health/v1/health_pb.js";
import { HealthRegistry, ServingStatus } from "../platform/host/health.js";
import { applyCors } from "../platform/http/cors.js";
import { serveOperatorEndpoint } from "../platform/http/operator-endpoints.js";
import { DualProtocolListener, type ListenerTimeouts, type NodeReq, type NodeRes } from "../platform/host/listener.js";
import { startOperatorServer } from "../platform/host/operator-server.js";
import { DEFAULT_RPC_LIMITS } from "../platform/host/service-config.js";
import { createGrpcUnaryTransport, type GrpcUnaryTransport } from "../platform/rpc/grpc-unary-transport.js";
import { serviceAddress, serviceOfPackage, type ServiceName } from "../platform/services.js";
import type { TokenVerifier } from "../platform/auth/tokens.js";
import type { Env } from "../platform/config.js";
import { openKv } from "../platform/storage/select.js";
import { createMediaOrigin, MEDIA_PREFIX, type MediaOriginOptions } from "./media-origin.js";
import { RpcProxy } from "./proxy.js";
import { publicRpcPaths, refuseInternalRpcs } from "./public-rpcs.js";
import { inHttpServerSpan } from "../platform/telemetry/http-server-span.js";
import { withPublicTransportErrors } from "./upstream-errors.js";
import { followReadiness, upstreamReadiness } from "./upstream-readiness.js";
import { RateLimiter, type RateLimits } from "./rate-limit.js";
import { RouteTable } from "./rest/routes.js";
import { createTranscoder, sendJson } from "./rest/transcoder.js";

export interface EdgeOptions {
  port: number;
  /** Port of the operator endpoints; 0 or absent: any free port. */
  operatorPort?: number;
  host: string;
  logger: Logger;
  env: Env;
  /** Every service the mesh serves; REST routes come from their annotations. */
  services: DescService[];
  upstreamTimeoutMs: number;
  maxBodyBytes: number;
  /** Largest Connect, gRPC or gRPC-web body forwarded to a service (uploads excepted); 4 MiB when absent. */
  maxRpcBodyBytes?: number;
  /** Idle socket timeouts of the public port (the listener's defaults when absent). */
  timeouts?: ListenerTimeouts;
  /** Origins allowed to call from a browser; empty allows any. */
  corsOrigins: string[];
  /** Path prefixes served by a service's plain-HTTP endpoints, forwarded unchanged (e.g. tus uploads). */
  httpMounts: HttpMount[];
  rateLimits: RateLimits;
  /** Verifies bearer tokens, so the per-user limit counts only subjects the edge has verified. */
  verifier: TokenVerifier;
  /** The signed media origin at /media/ (object store and the key playback signs with); absent: no /media route. */
  media?: Omit<MediaOriginOptions, "logger">;
}

export interface HttpMount {
  prefix: string;
  service: ServiceName;
}

export interface EdgeGateway {
  port: number;
  url: string;
  /** `/metrics`, health and reflection over the whole mesh (`buf curl --list-services` works here). */
  operatorUrl: string;
  routes: RouteTable;
  close(): Promise<void>;
}

/**
 * The one public door: REST/JSON routes transcoded to unary gRPC calls, Connect, gRPC-web and gRPC
 * forwarded untouched to the owning service (public RPCs only, see public-rpcs.ts), its own health,
 * the signed media origin under `/media/`, `/livez` `/readyz` `/healthz`, CORS for browsers. Ready
 * (grpc.health SERVING, `/readyz` 200) once every service behind it is SERVING. `/metrics` and a
 * reflection service over the whole mesh are on the operator port, not on this public one.
 */
export async function startEdgeGateway(opts: EdgeOptions): Promise<EdgeGateway> {
  const routes = new RouteTable(opts.services);
  const owners = new Map<string, URL>();
  const transports = new Map<ServiceName, GrpcUnaryTransport>();
  for (const s of opts.services) {
    const owner = serviceOfPackage(s.file.proto.package);
    if (owner === undefined) throw new Error(`no service owns ${s.typeName}`);
    owners.set(s.typeName, new URL(serviceAddress(owner, opts.env)));
  }
  const transportOf = (owner: ServiceName): GrpcUnaryTransport => {
    let t = transports.get(owner);
    if (t === undefined) {
      t = createGrpcUnaryTransport({ baseUrl: serviceAddress(owner, opts.env) });
      transports.set(owner, t);
    }
    return t;
  };
  const publicTransports = new Map<ServiceName, GrpcUnaryTransport>();
  const transportFor = (typeName: string): GrpcUnaryTransport => {
    const owner = serviceOfPackage(typeName.split(".").slice(0, -1).join(".")) as ServiceName;
    let t = publicTransports.get(owner);
    if (t === undefined) {
      t = withPublicTransportErrors(transportOf(owner), owner, opts.logger);
      publicTransports.set(owner, t);
    }
    return t;
  };
  const transcode = createTranscoder({ routes, transportFor, timeoutMs: opts.upstreamTimeoutMs, maxBodyBytes: opts.maxBodyBytes });
  const proxy = new RpcProxy();
  const maxRpcBodyBytes = opts.maxRpcBodyBytes ?? DEFAULT_RPC_LIMITS.maxRequestBytes;

  const metrics = new Registry();
  metrics.setDefaultLabels({ service: "edge" });
  collectDefaultMetrics({ register: metrics });
  const requests = new Counter({ name: "http_server_requests_total", help: "Requests at the edge by route and status.", labelNames: ["route", "status"], registers: [metrics] });
  const duration = new Histogram({
    name: "http_server_request_duration_seconds",
    help: "Time to answer a request at the edge.",
    labelNames: ["route"],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [metrics],
  });

  const health = new HealthRegistry([]);
  const upstreams = [...new Set(opts.services.map((s) => serviceOfPackage(s.file.proto.package) as ServiceName))];
  const readiness = upstreamReadiness(upstreams, transportOf);
  const publicPaths = publicRpcPaths(opts.services);
  const own = connectNodeAdapter({
    routes: (router) => {
      health.register(router);
      refuseInternalRpcs(router, opts.services);
    },
  });

  /**
   * Where a request goes byte for byte instead of being transcoded: a mounted prefix (tus uploads),
   * or a multipart body on a REST route (file uploads), which the owning service reads itself.
   */
  const rawHttpOwner = (req: NodeReq, path: string): URL | undefined => {
    const mount = opts.httpMounts.find((m) => path.startsWith(m.prefix));
    if (mount !== undefined) return new URL(serviceAddress(mount.service, opts.env));
    if (!/^multipart\/form-data\b/i.test(req.headers["content-type"] ?? "")) return undefined;
    const match = routes.match(req.method ?? "POST", path);
    return "route" in match ? owners.get(match.route.service.typeName) : undefined;
  };

  const media = opts.media && createMediaOrigin({ ...opts.media, logger: opts.logger });
  const isMedia = (path: string) => media !== undefined && path.startsWith(MEDIA_PREFIX);

  const limiter = new RateLimiter(await openKv(opts.env, { service: "edge", log: opts.logger }), opts.rateLimits, opts.verifier);

  const handle = async (req: NodeReq, res: NodeRes): Promise<string> => {
    const url = new URL(req.url ?? "/", "http://edge");
    const path = url.pathname;
    // Media needs no API rate limit: each URL is signed, bounded in time, and a viewer fetches a
    // segment every few seconds (in production a CDN answers most of them).
    if (media !== undefined && isMedia(path)) {
      await media(req, res, path);
      return "media";
    }
    if (!PROBE_PATHS.has(path)) {
      const decision = await limiter.check(req.socket.remoteAddress ?? "unknown", req.headers.authorization);
      if (!decision.allowed) {
        res.setHeader("retry-after", String(decision.retryAfterSeconds));
        sendJson(res, 429, { code: "resource_exhausted", message: `too many requests from this ${decision.scope === "ip" ? "address" : "account"}; retry in ${decision.retryAfterSeconds} s`, details: [] });
        return "rate-limited";
      }
    }
    if (path.startsWith("/api/")) {
      const raw = rawHttpOwner(req, path);
      if (raw !== undefined) {
        // Uploads are bounded by the service that stores them (tus and multipart limits).
        proxy.forward(req, res, raw, Infinity);
        return "http";
      }
      if (await transcode(req, res, url)) return "rest";
    } else if (PROBE_PATHS.has(path)) {
      if (await serveOperatorEndpoint(req, res, { health, readiness })) return path.slice(1);
    } else {
      const service = path.split("/")[1] ?? "";
      const upstream = owners.get(service);
      if (upstream !== undefined && publicPaths.has(path)) {
        proxy.forward(req, res, upstream, maxRpcBodyBytes);
        return "rpc";
      }
      if (upstream !== undefined || service === Health.typeName) {
        own(req, res);
        return "rpc";
      }
    }
    sendJson(res, 404, { code: "not_found", message: `no route for ${req.method} ${path}`, details: [] });
    return "none";
  };

  const listener = new DualProtocolListener((req, res) => {
    // Media answers its own CORS (any origin: the signature is the credential).
    if (!isMedia(req.url ?? "") && applyCors(req, res, opts.corsOrigins)) return;
    const end = duration.startTimer();
    inHttpServerSpan(req, res, () => handle(req, res)).then(
      (route) => {
        res.once("finish", () => {
          end({ route });
          requests.inc({ route, status: String(res.statusCode) });
        });
      },
      (err: unknown) => {
        opts.logger.error({ err }, "edge request failed");
        if (!res.headersSent) sendJson(res, 500, { code: "internal", message: "internal error", details: [] });
      },
    );
  }, undefined, opts.timeouts);
  if (opts.corsOrigins.length === 0) {
    opts.logger.warn("EDGE_CORS_ORIGINS is not set, so CORS lets every origin call the edge with the user's credentials: for development only; set it to the web app's origins in production");
  }
  const port = await listener.listen(opts.port, opts.host);
  const operator = await startOperatorServer({ port: opts.operatorPort ?? 0, host: opts.host, metrics, health, readiness, reflect: opts.services });
  const stopFollowing = followReadiness(readiness, health);
  const url = `http://${opts.host}:${port}`;
  opts.logger.info({ port, url, operatorUrl: operator.url, routes: routes.all.length }, "edge listening");
  return {
    port,
    url,
    operatorUrl: operator.url,
    routes,
    async close() {
      stopFollowing();
      health.setAll(ServingStatus.NOT_SERVING);
      listener.stopAccepting();
      // In-flight requests finish on their keep-alive connections; then the rest goes.
      const deadline = Date.now() + 3_000;
      while (listener.openConnections > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
      listener.destroyAll();
      proxy.close();
      await opts.media?.objects.close();
      for (const t of transports.values()) t.close();
      operator.close();
    },
  };
}

/** Probes' paths, answered on the public port too (load balancers ask there) and never rate-limited. */
const PROBE_PATHS = new Set(["/livez", "/readyz", "/healthz"]);
