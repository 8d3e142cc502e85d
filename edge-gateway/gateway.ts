import type { DescService } from "@bufbuild/protobuf";
import { cors as connectCors } from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { Logger } from "pino";
import { Health } from "../gen/grpc/health/v1/health_pb.js";
import { ServerReflection } from "../gen/grpc/reflection/v1/reflection_pb.js";
import { HealthRegistry, ServingStatus } from "../platform/host/health.js";
import { DualProtocolListener, type NodeReq, type NodeRes } from "../platform/host/listener.js";
import { registerReflection } from "../platform/host/reflection.js";
import { createGrpcUnaryTransport, type GrpcUnaryTransport } from "../platform/rpc/grpc-unary-transport.js";
import { serviceAddress, serviceOfPackage, type ServiceName } from "../platform/services.js";
import type { Env } from "../platform/config.js";
import { openKv } from "../platform/storage/select.js";
import { createMediaOrigin, MEDIA_PREFIX, type MediaOriginOptions } from "./media-origin.js";
import { RpcProxy } from "./proxy.js";
import { RateLimiter, type RateLimits } from "./rate-limit.js";
import { RouteTable } from "./rest/routes.js";
import { createTranscoder, sendJson } from "./rest/transcoder.js";

export interface EdgeOptions {
  port: number;
  host: string;
  logger: Logger;
  env: Env;
  /** Every service the mesh serves; REST routes come from their annotations. */
  services: DescService[];
  upstreamTimeoutMs: number;
  maxBodyBytes: number;
  /** Origins allowed to call from a browser; empty allows any. */
  corsOrigins: string[];
  /** Path prefixes served by a service's plain-HTTP endpoints, forwarded unchanged (e.g. tus uploads). */
  httpMounts: HttpMount[];
  rateLimits: RateLimits;
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
  routes: RouteTable;
  close(): Promise<void>;
}

/**
 * The one public door: REST/JSON routes transcoded to unary gRPC calls, Connect, gRPC-web and gRPC
 * forwarded untouched to the owning service, its own health and a reflection service over the
 * whole mesh, the signed media origin under `/media/`, `/healthz` and `/metrics`, CORS for browsers.
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
  const transportFor = (typeName: string): GrpcUnaryTransport => {
    const owner = serviceOfPackage(typeName.split(".").slice(0, -1).join(".")) as ServiceName;
    let t = transports.get(owner);
    if (t === undefined) {
      t = createGrpcUnaryTransport({ baseUrl: serviceAddress(owner, opts.env) });
      transports.set(owner, t);
    }
    return t;
  };
  const transcode = createTranscoder({ routes, transportFor, timeoutMs: opts.upstreamTimeoutMs, maxBodyBytes: opts.maxBodyBytes });
  const proxy = new RpcProxy();

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
  const own = connectNodeAdapter({
    routes: (router) => {
      health.register(router);
      registerReflection(router, [...opts.services, Health, ServerReflection]);
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

  const limiter = new RateLimiter(await openKv(opts.env, { service: "edge", log: opts.logger }), opts.rateLimits);

  const handle = async (req: NodeReq, res: NodeRes): Promise<string> => {
    const url = new URL(req.url ?? "/", "http://edge");
    const path = url.pathname;
    // Media needs no API rate limit: each URL is signed, bounded in time, and a viewer fetches a
    // segment every few seconds (in production a CDN answers most of them).
    if (media !== undefined && isMedia(path)) {
      await media(req, res, path);
      return "media";
    }
    if (path !== "/healthz" && path !== "/metrics") {
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
        proxy.forward(req, res, raw);
        return "http";
      }
      if (await transcode(req, res, url)) return "rest";
    } else if (path === "/healthz") {
      const ok = health.status("") === ServingStatus.SERVING;
      sendJson(res, ok ? 200 : 503, { status: ok ? "SERVING" : "NOT_SERVING" });
      return "healthz";
    } else if (path === "/metrics") {
      const text = await metrics.metrics();
      res.writeHead(200, { "content-type": metrics.contentType });
      res.end(text);
      return "metrics";
    } else {
      const service = path.split("/")[1] ?? "";
      const upstream = owners.get(service);
      if (upstream !== undefined) {
        proxy.forward(req, res, upstream);
        return "rpc";
      }
      if (service === Health.typeName || service === ServerReflection.typeName) {
        own(req, res);
        return "rpc";
      }
    }
    sendJson(res, 404, { code: "not_found", message: `no route for ${req.method} ${path}`, details: [] });
    return "none";
  };

  const listener = new DualProtocolListener((req, res) => {
    // Media answers its own CORS (any origin: the signature is the credential).
    if (!isMedia(req.url ?? "") && cors(req, res, opts.corsOrigins)) return;
    const end = duration.startTimer();
    handle(req, res).then(
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
  });
  const port = await listener.listen(opts.port, opts.host);
  health.setAll(ServingStatus.SERVING);
  const url = `http://${opts.host}:${port}`;
  opts.logger.info({ port, url, routes: routes.all.length }, "edge listening");
  return {
    port,
    url,
    routes,
    async close() {
      health.setAll(ServingStatus.NOT_SERVING);
      listener.stopAccepting();
      // In-flight requests finish on their keep-alive connections; then the rest goes.
      const deadline = Date.now() + 3_000;
      while (listener.openConnections > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
      listener.destroyAll();
      proxy.close();
      await opts.media?.objects.close();
      for (const t of transports.values()) t.close();
    },
  };
}

// tus (resumable uploads) speaks in headers a browser must be allowed to send and read.
const TUS_HEADERS = ["tus-resumable", "upload-length", "upload-offset", "upload-metadata", "upload-defer-length", "upload-concat"];
const allowHeaders = [...connectCors.allowedHeaders, "authorization", "profile-id", "x-request-id", ...TUS_HEADERS, "x-http-method-override"].join(", ");
const exposeHeaders = [...connectCors.exposedHeaders, "x-request-id", ...TUS_HEADERS, "location", "tus-version", "tus-max-size", "tus-extension", "retry-after"].join(", ");
const allowMethods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"].join(", ");

/** Adds CORS headers for allowed origins; answers preflights. Returns true when the request is done. */
function cors(req: NodeReq, res: NodeRes, allowed: string[]): boolean {
  const origin = req.headers.origin;
  if (origin === undefined || (allowed.length > 0 && !allowed.includes(origin))) return false;
  res.setHeader("access-control-allow-origin", origin);
  res.setHeader("vary", "origin");
  res.setHeader("access-control-expose-headers", exposeHeaders);
  if (req.method !== "OPTIONS") return false;
  res.writeHead(204, { "access-control-allow-methods": allowMethods, "access-control-allow-headers": allowHeaders, "access-control-max-age": "7200" });
  res.end();
  return true;
}
