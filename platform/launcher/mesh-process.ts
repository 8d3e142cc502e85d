import { spawn, type ChildProcess } from "node:child_process";
import { chmod, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { Client as ElasticsearchClient } from "@elastic/elasticsearch";
import { Redis } from "ioredis";
import { defaultOperatorPort } from "../host/service-config.js";
import { SERVICE_NAMES, SERVICE_PORTS, type ServiceName } from "../services.js";
import { createScratchDatabase, type ScratchDatabase } from "../storage/scratch-database.js";
import { deleteNatsStreams } from "../events/nats-streams.js";

export interface MeshProcess {
  edgeUrl: string;
  /** The edge's operator port: /metrics, probes, reflection of the whole mesh. */
  edgeOperatorUrl: string;
  serviceUrl(name: ServiceName): string;
  /** A service's operator port: /metrics, probes, and `/faults` when the mesh runs with FAULTS_ENABLED=true. */
  operatorUrl(name: ServiceName): string;
  /**
   * Freezes one service's process (SIGSTOP): it keeps its port and connections but answers
   * nothing, as a hung host does. `thaw` resumes it (SIGCONT); stop() thaws what is frozen first.
   */
  freeze(name: ServiceName): Promise<void>;
  thaw(name: ServiceName): Promise<void>;
  /**
   * The mesh's CINEMESH_DATA_DIR (deleted by `stop()`): the embedded object store is its
   * `objects/` folder, which tests read through `openObjects` like the services do.
   */
  dataDir: string;
  /** Everything the launcher printed so far. */
  output(): string;
  /** SIGTERM to the launcher; resolves with its exit code (0 when every process exited 0). */
  stop(): Promise<number | null>;
  /**
   * Sends `signal` to the launcher alone, or to its whole process group as a terminal's Ctrl-C
   * does (the launcher runs in its own group); resolves like stop().
   */
  signal(signal: NodeJS.Signals, to: "launcher" | "group"): Promise<number | null>;
  /** Processes of this mesh still running: the launcher, its children (by environment) and Postgres (by command line). */
  processes(): Promise<string[]>;
}

/**
 * Runs the mesh the way `npm start` does (the compiled launcher: embedded Postgres, 11 services
 * and the edge as processes) for end-to-end tests and benchmarks; dist/ must be built (the test
 * run's global setup does it). Ports are moved by `portOffset` and the data dir is a fresh temp
 * folder, so a developer's own mesh is left alone. Keep every port below Linux's ephemeral range
 * (32768+): there, any outgoing connection on the machine may hold the port when the mesh binds
 * it. Offsets in use: 600 (eval:recs --end-to-end), 1200 (bench:recs), 2500 (bench:search), 3700 (recommendations e2e),
 * 5000 (search e2e), 8000 (traces e2e), 11000 (launcher test),
 * 9500 (home e2e), 12500 (bench:home), 14000 (upload e2e), 17000 (playback e2e), 20000 (bench:playback),
 * 23000 (accounts e2e).
 */
export async function startMeshProcess(opts: { portOffset: number; env?: NodeJS.ProcessEnv }): Promise<MeshProcess> {
  if (8080 + opts.portOffset >= 32_768) throw new Error(`portOffset ${opts.portOffset} puts the mesh in the ephemeral port range`);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "cinemesh-mesh-"));
  // mkdtemp makes a private folder; as root, Postgres runs as the postgres user and must get in.
  await chmod(dataDir, 0o755);
  const port = (name: ServiceName) => SERVICE_PORTS[name] + opts.portOffset;
  const edgePort = 8080 + opts.portOffset;
  // Against real servers the mesh gets its own database and bus namespace, dropped afterwards, so
  // one run never sees another's accounts or events.
  const db: ScratchDatabase | undefined = process.env.DATABASE_URL ? await createScratchDatabase(process.env.DATABASE_URL) : undefined;
  const namespace = `mesh${randomBytes(4).toString("hex")}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...opts.env,
    ...(db === undefined ? {} : { DATABASE_URL: db.url }),
    BUS_NAMESPACE: namespace,
    CATALOG_CACHE_NAMESPACE: namespace,
    ANALYTICS_KV_NAMESPACE: `${namespace}:`,
    CINEMESH_DATA_DIR: dataDir,
    EDGE_PORT: String(edgePort),
    // Just below identity's port: free of every service port, operator port (+1000) and the edge's.
    EMBEDDED_POSTGRES_PORT: String(7000 + opts.portOffset),
  };
  for (const name of SERVICE_NAMES) env[`${name.toUpperCase()}_PORT`] = String(port(name));

  let output = "";
  const frozen = new Set<number>();
  const launcher: ChildProcess = spawn(process.execPath, ["dist/platform/launcher/main.js"], { env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  launcher.stdout?.on("data", (d: Buffer) => (output += d.toString()));
  launcher.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => launcher.once("exit", resolve));
  // Once: the launcher's exit and stop() both ask for it, and two at once would race on every engine.
  let cleaning: Promise<void> | undefined;
  const cleanUp = () =>
    (cleaning ??= (async () => {
      await rm(dataDir, { recursive: true, force: true });
      await db?.drop();
      if (process.env.NATS_URL) await deleteNatsStreams(process.env.NATS_URL, namespace);
      if (process.env.REDIS_URL) await deleteRedisKeys(process.env.REDIS_URL, namespace);
      if (process.env.ELASTICSEARCH_URL) await deleteSearchIndices(process.env.ELASTICSEARCH_URL, namespace);
    })());
  await new Promise<void>((resolve, reject) => {
    launcher.stdout?.on("data", () => output.includes("Ctrl-C stops everything") && resolve());
    void exited.then(async (code) => {
      const logs = await failedProcessLogs(output);
      await cleanUp();
      reject(new Error(`the launcher exited with ${code}:\n${output}${logs}`));
    });
  });
  return {
    edgeUrl: `http://127.0.0.1:${edgePort}`,
    edgeOperatorUrl: `http://127.0.0.1:${defaultOperatorPort(edgePort)}`,
    serviceUrl: (name) => `http://127.0.0.1:${port(name)}`,
    operatorUrl: (name) => `http://127.0.0.1:${defaultOperatorPort(port(name))}`,
    async freeze(name) {
      const pid = await servicePid(dataDir, name);
      frozen.add(pid);
      process.kill(pid, "SIGSTOP");
    },
    async thaw(name) {
      const pid = await servicePid(dataDir, name);
      process.kill(pid, "SIGCONT");
      frozen.delete(pid);
    },
    dataDir,
    output: () => output,
    async stop() {
      for (const pid of frozen) process.kill(pid, "SIGCONT");
      if (launcher.exitCode === null) launcher.kill("SIGTERM");
      const code = await exited;
      await cleanUp();
      return code;
    },
    async signal(signal, to) {
      if (launcher.exitCode === null) process.kill(to === "group" ? -launcher.pid! : launcher.pid!, signal);
      const code = await exited;
      await cleanUp();
      return code;
    },
    processes: () => processesOf(dataDir),
  };
}

/** The pid of the process serving `name` in the mesh of `dataDir`. */
async function servicePid(dataDir: string, name: ServiceName): Promise<number> {
  const entry = `${path.sep}services${path.sep}${name}${path.sep}main.js`;
  const found = (await processesOf(dataDir)).filter((p) => p.includes(entry));
  if (found.length !== 1) throw new Error(`expected one process running ${entry}, found ${found.length}`);
  return Number(found[0]!.split(" ")[0]);
}

/** The processes of one mesh, each as "<pid> <command line>" so that a leftover one says what it is. */
async function processesOf(dataDir: string): Promise<string[]> {
  const pids: string[] = [];
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const [environ, cmdline] = await Promise.all(["environ", "cmdline"].map((f) => readFile(`/proc/${entry}/${f}`, "utf8").catch(() => "")));
    if (environ!.split("\0").includes(`CINEMESH_DATA_DIR=${dataDir}`) || cmdline!.includes(dataDir)) pids.push(`${entry} ${cmdline!.replaceAll("\0", " ").trim()}`);
  }
  return pids;
}

/** Every service's kv keys of one mesh (`cinemesh:<service>:<namespace>…`); some have no TTL. */
async function deleteRedisKeys(url: string, namespace: string): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 3 });
  try {
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `cinemesh:*:${namespace}*`, "COUNT", 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== "0");
  } finally {
    redis.disconnect();
  }
}

/** The search service's Elasticsearch indices of one mesh (its SEARCH_INDEX_NAME default carries the namespace). */
async function deleteSearchIndices(url: string, namespace: string): Promise<void> {
  const es = new ElasticsearchClient({ node: url });
  try {
    // Elasticsearch 8 refuses to delete by wildcard (action.destructive_requires_name): by name, then.
    const names = Object.keys(await es.indices.get({ index: `cinemesh-content-${namespace}*`, ignore_unavailable: true, allow_no_indices: true }));
    if (names.length > 0) await es.indices.delete({ index: names, ignore_unavailable: true });
  } finally {
    await es.close();
  }
}

/** The last lines of the log of each process the launcher reported as failed. */
async function failedProcessLogs(output: string): Promise<string> {
  let text = "";
  for (const m of output.matchAll(/^(\S+) exited with code \S+; see (\S+)\./gm)) {
    const log = await readFile(m[2], "utf8").catch(() => "");
    text += `\n--- ${m[1]} log (last lines) ---\n${log.split("\n").slice(-15).join("\n")}`;
  }
  return text;
}
