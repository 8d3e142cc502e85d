import { startMeshProcess, type MeshProcess } from "../../platform/launcher/mesh-process.js";

/** The admin every benchmark's mesh is started with (CINEMESH_ADMIN_EMAIL / _PASSWORD). */
export const BENCH_ADMIN = { email: "admin@cinemesh.test", password: "Admin-passw0rd!" };

/**
 * A mesh like `npm start`'s for a benchmark or an evaluation: the bench admin bootstrapped, logs
 * at warn, and the edge's rate limits off (a load generator is one address and a few accounts).
 * `env` adds to or overrides that.
 */
export function startBenchMesh(portOffset: number, env: NodeJS.ProcessEnv = {}): Promise<MeshProcess> {
  return startMeshProcess({
    portOffset,
    env: {
      CINEMESH_ADMIN_EMAIL: BENCH_ADMIN.email,
      CINEMESH_ADMIN_PASSWORD: BENCH_ADMIN.password,
      LOG_LEVEL: "warn",
      EDGE_RATE_LIMIT_PER_IP_PER_MINUTE: "0",
      EDGE_RATE_LIMIT_PER_USER_PER_MINUTE: "0",
      ...env,
    },
  });
}
