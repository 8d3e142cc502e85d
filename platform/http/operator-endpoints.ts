import type { Registry } from "prom-client";
import { ServingStatus, type HealthRegistry } from "../host/health.js";
import type { NodeReq, NodeRes } from "../host/listener.js";
import type { Readiness } from "../host/readiness.js";

export interface OperatorEndpoints {
  health: HealthRegistry;
  /** Served at `/metrics`; absent on a public port. */
  metrics?: Registry;
  /** What `/readyz` reports; absent: the process's own health. */
  readiness?: Readiness;
}

/**
 * The plain-HTTP endpoints operators and probes use, the same in every process:
 * - `/livez`: 200 while the process runs (liveness: restart it when this fails);
 * - `/readyz`: 200 when it can serve, else 503 naming what is not ready (send it traffic or not);
 * - `/healthz`: 200 while its grpc.health says SERVING (what scripts and the launcher wait for);
 * - `/metrics`: Prometheus text, where a registry is given.
 * Resolves false for any other request, so the caller answers it.
 */
export async function serveOperatorEndpoint(req: NodeReq, res: NodeRes, ops: OperatorEndpoints): Promise<boolean> {
  if (req.method !== "GET" && req.method !== "HEAD") return false;
  const path = (req.url ?? "/").split("?")[0];
  if (path === "/metrics" && ops.metrics !== undefined) {
    const body = await ops.metrics.metrics();
    res.writeHead(200, { "content-type": ops.metrics.contentType });
    res.end(body);
    return true;
  }
  if (path === "/livez") {
    writeJson(res, 200, { status: "ALIVE" });
    return true;
  }
  if (path === "/readyz" && ops.readiness !== undefined) {
    const { ready, notReady } = await ops.readiness.check();
    writeJson(res, ready ? 200 : 503, ready ? { status: "SERVING" } : { status: "NOT_SERVING", notReady });
    return true;
  }
  if (path === "/healthz" || path === "/readyz") {
    const ok = ops.health.status("") === ServingStatus.SERVING;
    writeJson(res, ok ? 200 : 503, { status: ok ? "SERVING" : "NOT_SERVING" });
    return true;
  }
  return false;
}

export function writeJson(res: NodeRes, status: number, body: object): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(text) });
  res.end(text);
}
