import { createTokenVerifier, generateAuthKeyPair } from "../../platform/auth/tokens.js";
import { createLogger } from "../../platform/logger.js";
import { MESH_SERVICES } from "../contracts.js";
import { startEdgeGateway, type EdgeGateway, type EdgeOptions } from "../gateway.js";

/**
 * Options for an edge under test (tests only): every mesh service routed, any free port, silent,
 * no rate limits, no CORS origins, verifying tokens with a key of its own; `over` wins.
 */
export async function testEdgeOptions(over: Partial<EdgeOptions> = {}): Promise<EdgeOptions> {
  return {
    port: 0,
    host: "127.0.0.1",
    logger: createLogger("edge", "silent"),
    env: {},
    services: MESH_SERVICES,
    upstreamTimeoutMs: 5_000,
    maxBodyBytes: 64 * 1024,
    corsOrigins: [],
    httpMounts: [],
    rateLimits: { perIpPerMinute: 0, perUserPerMinute: 0 },
    verifier: over.verifier ?? (await createTokenVerifier((await generateAuthKeyPair()).publicKeyPem)),
    ...over,
  };
}

/** An edge started with `testEdgeOptions(over)`. */
export async function startTestEdge(over: Partial<EdgeOptions> = {}): Promise<EdgeGateway> {
  return startEdgeGateway(await testEdgeOptions(over));
}
