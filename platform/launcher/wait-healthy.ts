import { connect } from "node:net";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { Health, HealthCheckResponse_ServingStatus } from "../../gen/grpc/health/v1/health_pb.js";

/**
 * Polls `grpc.health.v1.Health/Check` until the process answers SERVING, or throws at the deadline.
 *
 * Each round first opens a bare TCP connection, and asks for health only once something listens.
 * A port in the kernel's ephemeral range (32768–60999 on Linux) that nobody listens on yet can be
 * handed to the probe itself as its local port: TCP then connects the socket to itself, and an
 * HTTP/2 session kept on it would hold the port, so the service starting there fails with
 * EADDRINUSE. The bare probe closes such a self-connection at once (SO_REUSEADDR lets the service
 * bind over what it leaves in TIME_WAIT).
 */
export async function waitServing(baseUrl: string, deadline: number, gaveUp: () => boolean = () => false): Promise<void> {
  const transport = createGrpcTransport({ baseUrl });
  const health = createClient(Health, transport);
  const { hostname, port } = new URL(baseUrl);
  let lastError = "no answer";
  while (Date.now() < deadline && !gaveUp()) {
    try {
      await probeListener(hostname, Number(port));
      const { status } = await health.check({ service: "" }, { timeoutMs: 1000 });
      if (status === HealthCheckResponse_ServingStatus.SERVING) return;
      lastError = `status ${HealthCheckResponse_ServingStatus[status]}`;
    } catch (err) {
      lastError = err instanceof Error ? err.message : String(err);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`${baseUrl} not SERVING: ${lastError}`);
}

/**
 * Polls `/livez` until the process answers it over HTTP at all (it is up, whether or not what it
 * depends on is; builds from before /livez answer 404, which counts too), or throws at the
 * deadline: for benchmarks that run an edge without the whole mesh behind it, alive but never ready.
 */
export async function waitAlive(baseUrl: string, deadline: number): Promise<void> {
  const { hostname, port } = new URL(baseUrl);
  let lastError = "no answer";
  while (Date.now() < deadline) {
    try {
      await probeListener(hostname, Number(port));
      const res = await fetch(`${baseUrl}/livez`);
      await res.body?.cancel();
      if (res.status < 500) return;
      lastError = `HTTP ${res.status}`;
    } catch (err) {
      lastError = err instanceof Error ? err.message : String(err);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`${baseUrl} not alive: ${lastError}`);
}

/** Resolves when a listener accepts a TCP connection on host:port; rejects otherwise (including a self-connection). */
function probeListener(host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    socket.once("connect", () => {
      const self = socket.localPort === socket.remotePort && socket.localAddress === socket.remoteAddress;
      socket.destroy();
      if (self) reject(new Error(`connect ECONNREFUSED ${host}:${port} (the probe connected to itself)`));
      else resolve();
    });
    socket.once("error", (err) => {
      socket.destroy();
      reject(err);
    });
  });
}
