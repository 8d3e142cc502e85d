import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { Health, HealthCheckResponse_ServingStatus } from "../../gen/grpc/health/v1/health_pb.js";

/** Polls `grpc.health.v1.Health/Check` until the process answers SERVING, or throws at the deadline. */
export async function waitServing(baseUrl: string, deadline: number, gaveUp: () => boolean = () => false): Promise<void> {
  const transport = createGrpcTransport({ baseUrl });
  const health = createClient(Health, transport);
  let lastError = "no answer";
  while (Date.now() < deadline && !gaveUp()) {
    try {
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
