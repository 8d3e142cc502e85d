import { join } from "node:path";
import type { EngineSpec } from "./engine-spec.js";

/**
 * A single Apache Cassandra node on loopback, run straight from the jars Maven fetched (there is
 * no tarball, so no bin/cassandra: the JVM flags its scripts would add are here). Cassandra stands
 * in for ScyllaDB in CI: same CQL protocol and driver, and no ScyllaDB build is reachable here.
 */
export interface CassandraOptions {
  /** The jars of `cassandra-all` and its runtime dependencies. */
  libDir: string;
  /** Fresh directory for configuration, data, commit log and logs. */
  runDir: string;
  /** The `java` binary: Cassandra 5.0 runs on JDK 11 and 17. */
  java: string;
  nativePort: number;
  storagePort: number;
  heapMb: number;
}

/** The `--add-exports/--add-opens` of Cassandra 5.0's conf/jvm17-server.options, without which it fails on JDK 17. */
const JDK17_MODULE_FLAGS = [
  ...[
    "java.base/jdk.internal.misc",
    "java.management.rmi/com.sun.jmx.remote.internal.rmi",
    "java.rmi/sun.rmi.registry",
    "java.rmi/sun.rmi.server",
    "java.sql/java.sql",
    "java.base/java.lang.ref",
    "jdk.unsupported/sun.misc",
    "jdk.compiler/com.sun.tools.javac.file",
    "jdk.attach/sun.tools.attach",
  ].flatMap((p) => ["--add-exports", `${p}=ALL-UNNAMED`]),
  ...[
    "java.base/java.lang.module",
    "java.base/jdk.internal.loader",
    "java.base/jdk.internal.ref",
    "java.base/jdk.internal.reflect",
    "java.base/jdk.internal.math",
    "java.base/jdk.internal.module",
    "java.base/jdk.internal.util.jar",
    "jdk.management/com.sun.management.internal",
    "java.base/sun.nio.ch",
    "java.base/java.io",
    "java.base/java.lang.reflect",
    "jdk.compiler/com.sun.tools.javac",
    "java.base/java.lang",
    "java.base/java.util",
  ].flatMap((p) => ["--add-opens", `${p}=ALL-UNNAMED`]),
];

export function cassandraSpec(o: CassandraOptions): EngineSpec {
  const config = join(o.runDir, "cassandra.yaml");
  const logback = join(o.runDir, "logback.xml");
  const data = join(o.runDir, "data");
  return {
    name: "cassandra",
    command: o.java,
    args: [
      `-Xms${o.heapMb}m`,
      `-Xmx${o.heapMb}m`,
      "-XX:+UseG1GC",
      "-XX:+ExitOnOutOfMemoryError",
      "-Djdk.attach.allowAttachSelf=true",
      ...JDK17_MODULE_FLAGS,
      "-Dio.netty.tryReflectionSetAccessible=true",
      // Cassandra measures memtable sizes with jamm, as an agent.
      `-javaagent:${join(o.libDir, "jamm-0.4.0.jar")}`,
      `-Dcassandra.config=file://${config}`,
      `-Dcassandra.storagedir=${data}`,
      `-Dlogback.configurationFile=${logback}`,
      "-Dcassandra-foreground=yes",
      // One node, no peers: nothing to wait for.
      "-Dcassandra.skip_wait_for_gossip_to_settle=0",
      "-Dcassandra.ring_delay_ms=0",
      "-cp",
      join(o.libDir, "*"),
      "org.apache.cassandra.service.CassandraDaemon",
    ],
    env: {},
    cwd: o.runDir,
    files: [
      { path: config, content: cassandraYaml(o, data) },
      { path: logback, content: LOGBACK_XML },
    ],
    directories: [data],
    copies: [],
    logFile: join(o.runDir, "stdout.log"),
    ready: { kind: "tcp", host: "127.0.0.1", port: o.nativePort },
    exports: { SCYLLA_CONTACT_POINTS: `127.0.0.1:${o.nativePort}`, SCYLLA_LOCAL_DC: "datacenter1" },
  };
}

/** The smallest cassandra.yaml 5.0 starts with: one token, loopback only, everything under `data`. */
export function cassandraYaml(o: Pick<CassandraOptions, "nativePort" | "storagePort">, data: string): string {
  return [
    "cluster_name: cinemesh-ci",
    "num_tokens: 1",
    "initial_token: 0",
    "partitioner: org.apache.cassandra.dht.Murmur3Partitioner",
    // SimpleSnitch names the datacenter `datacenter1`, the adapter's default SCYLLA_LOCAL_DC.
    "endpoint_snitch: SimpleSnitch",
    "seed_provider:",
    "  - class_name: org.apache.cassandra.locator.SimpleSeedProvider",
    "    parameters:",
    `      - seeds: "127.0.0.1:${o.storagePort}"`,
    "listen_address: 127.0.0.1",
    "rpc_address: 127.0.0.1",
    `storage_port: ${o.storagePort}`,
    `native_transport_port: ${o.nativePort}`,
    "start_native_transport: true",
    `data_file_directories: [${JSON.stringify(join(data, "data"))}]`,
    `commitlog_directory: ${JSON.stringify(join(data, "commitlog"))}`,
    `saved_caches_directory: ${JSON.stringify(join(data, "saved_caches"))}`,
    `hints_directory: ${JSON.stringify(join(data, "hints"))}`,
    `cdc_raw_directory: ${JSON.stringify(join(data, "cdc_raw"))}`,
    "commitlog_sync: periodic",
    "commitlog_sync_period: 10000ms",
    "",
  ].join("\n");
}

/** INFO and up to standard output, which the runner keeps in the engine's log file. */
const LOGBACK_XML = `<configuration>
  <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
    <encoder><pattern>%-5level [%thread] %date{ISO8601} %F:%L - %msg%n</pattern></encoder>
  </appender>
  <root level="INFO"><appender-ref ref="OUT"/></root>
</configuration>
`;
