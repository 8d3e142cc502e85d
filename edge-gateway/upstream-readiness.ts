import { Health, HealthCheckResponse_ServingStatus as Status } from "../gen/grpc/health/v1/health_pb.js";
import type { HealthRegistry } from "../platform/host/health.js";
import { Readiness } from "../platform/host/readiness.js";
import type { GrpcUnaryTransport } from "../platform/rpc/grpc-unary-transport.js";
import type { ServiceName } from "../platform/services.js";

/** A probe answers within this or counts as not ready: a service this slow cannot serve either. */
const PROBE_TIMEOUT_MS = 1_000;
/** How often the edge re-asks, and how long an answer is reused. */
const INTERVAL_MS = 1_000;

/**
 * The edge can serve once every service behind it has answered grpc.health SERVING. Probes fail
 * fast (no wait-for-ready): a service that is not listening is simply not ready yet. After that
 * the edge stays ready when one service goes away: it can still serve every other route, its calls
 * to the missing one wait for it within their deadlines, and an edge that went unready with any
 * one service would take every edge out of its load balancer at once.
 */
export function upstreamReadiness(upstreams: ServiceName[], transportOf: (name: ServiceName) => GrpcUnaryTransport): Readiness {
  const seenServing = new Set<ServiceName>();
  return new Readiness(
    upstreams.map((name) => ({
      name,
      ready: async () => {
        if (seenServing.has(name)) return true;
        const res = await transportOf(name).call(Health.method.check, { service: "" }, { timeoutMs: PROBE_TIMEOUT_MS, waitForReady: false });
        if (res.message.status === Status.SERVING) seenServing.add(name);
        return seenServing.has(name);
      },
    })),
    INTERVAL_MS,
  );
}

/**
 * Keeps the edge's own grpc.health in step with its readiness (NOT_SERVING until every upstream
 * is SERVING), so whoever waits for the edge's health, as the launcher does, waits for the mesh.
 * Returns the function that stops following.
 */
export function followReadiness(readiness: Readiness, health: HealthRegistry): () => void {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const tick = async () => {
    const { ready } = await readiness.check();
    if (stopped) return;
    health.setAll(ready ? Status.SERVING : Status.NOT_SERVING);
    timer = setTimeout(() => void tick(), INTERVAL_MS).unref();
  };
  void tick();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
