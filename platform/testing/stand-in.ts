import type { DescService } from "@bufbuild/protobuf";
import type { ServiceImpl } from "@connectrpc/connect";
import type { Env } from "../config.js";
import { startService } from "../host/run-service.js";
import type { ServiceHost } from "../host/service-host.js";
import type { ServiceName } from "../services.js";

/**
 * Another service as a test needs it: the real platform host (ports, auth, validation,
 * interceptors) serving `impl`, a few handlers standing in for that service's business logic.
 */
export async function startStandIn<S extends DescService>(
  name: ServiceName,
  service: S,
  env: Env,
  impl: Partial<ServiceImpl<S>>,
): Promise<{ host: ServiceHost; stop: () => Promise<void> }> {
  return startService({ name, services: [service], setup: async () => ({ routes: (r) => r.service(service, impl) }) }, env);
}
