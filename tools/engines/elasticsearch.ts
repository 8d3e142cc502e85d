import { join } from "node:path";
import type { EngineSpec } from "./engine-spec.js";

/**
 * A single Elasticsearch node on loopback from the integration-test distribution (the server and
 * the modules apm, transport-netty4, x-pack-core and x-pack-security only: no analysis-common, no
 * mapper-extras, no painless; no bundled JDK).
 */
export interface ElasticsearchOptions {
  /** The unpacked distribution (holds bin/, lib/, modules/, config/). */
  home: string;
  /** Fresh directory for configuration, data and logs. */
  runDir: string;
  /** A JDK 17 or newer. */
  javaHome: string;
  httpPort: number;
  transportPort: number;
  heapMb: number;
  /** Elasticsearch refuses to run as root: the user to run it as when we are root. */
  runAs?: { uid: number; gid: number };
}

export function elasticsearchSpec(o: ElasticsearchOptions): EngineSpec {
  const config = join(o.runDir, "config");
  const url = `http://127.0.0.1:${o.httpPort}`;
  const settings = {
    "discovery.type": "single-node",
    "xpack.security.enabled": "false",
    "network.host": "127.0.0.1",
    "http.port": String(o.httpPort),
    "transport.port": String(o.transportPort),
    "path.data": join(o.runDir, "data"),
    "path.logs": join(o.runDir, "logs"),
    // A CI disk may be nearly full; the node must still take writes.
    "cluster.routing.allocation.disk.threshold_enabled": "false",
  };
  return {
    name: "elasticsearch",
    // Through bash: the distribution comes out of Maven without its executable bits.
    command: "bash",
    args: [join(o.home, "bin", "elasticsearch"), ...Object.entries(settings).flatMap(([k, v]) => ["-E", `${k}=${v}`])],
    env: { ES_JAVA_HOME: o.javaHome, ES_JAVA_OPTS: `-Xms${o.heapMb}m -Xmx${o.heapMb}m`, ES_PATH_CONF: config },
    cwd: o.runDir,
    files: [],
    directories: [join(o.runDir, "data"), join(o.runDir, "logs")],
    // Elasticsearch writes its keystore into the configuration directory: a copy per run.
    copies: [{ from: join(o.home, "config"), to: config }],
    runAs: o.runAs,
    logFile: join(o.runDir, "stdout.log"),
    ready: { kind: "http", url: `${url}/_cluster/health`, accept: (body) => isHealthy(body) },
    exports: { ELASTICSEARCH_URL: url },
  };
}

function isHealthy(body: unknown): boolean {
  const status = (body as { status?: unknown } | null)?.status;
  return status === "green" || status === "yellow";
}
