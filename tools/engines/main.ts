/**
 * Starts a real engine for the tests, on loopback, fetched from Maven Central on first use:
 *
 *   node dist/tools/engines/main.js fetch cassandra|elasticsearch   (optional: start fetches too)
 *   node dist/tools/engines/main.js start cassandra       > cassandra.env
 *   node dist/tools/engines/main.js start elasticsearch   > elasticsearch.env
 *   node dist/tools/engines/main.js stop "$CINEMESH_CASSANDRA_DIR"
 *
 * `start` prints KEY=value lines for the tests (SCYLLA_CONTACT_POINTS, ELASTICSEARCH_URL, and the
 * engine's run directory for `stop`) once the engine answers, and fails, having killed it, when it
 * does not answer in time. Progress goes to standard error.
 *
 *   CINEMESH_ENGINES_CACHE            where fetched engines are kept between runs (default
 *                                     ~/.cache/cinemesh-engines; /var/cache/cinemesh-engines as root,
 *                                     so that the unprivileged user Elasticsearch runs as can read it)
 *   CINEMESH_ENGINE_START_TIMEOUT_S   how long an engine may take to answer (default 180)
 *   JAVA_HOME                         the JDK to run them on (default: the `java` on PATH)
 */
import { spawn, execFileSync } from "node:child_process";
import { access, mkdtemp, readFile, realpath, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { homedir, tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { EnvReader } from "../../platform/config.js";
import { cassandraSpec } from "./cassandra.js";
import { elasticsearchSpec } from "./elasticsearch.js";
import type { EngineSpec, FetchSpec } from "./engine-spec.js";
import { mavenFetch, pomProperty } from "./maven.js";
import { startEngine, stopEngine } from "./run-engine.js";

const ENGINES_DIR = join(fileURLToPath(new URL("../../../", import.meta.url)), "tools", "engines");
/** The unprivileged user Elasticsearch runs as when this runs as root. */
const ENGINE_USER = "cinemesh-engines";

interface Settings {
  cache: string;
  timeoutMs: number;
  javaHome: string;
}

const log = (line: string) => process.stderr.write(`${line}\n`);

async function main(argv: string[]): Promise<void> {
  const [verb, what] = argv;
  if (verb === "stop" && what !== undefined) return stopEngine(what);
  if ((verb !== "start" && verb !== "fetch") || (what !== "cassandra" && what !== "elasticsearch")) {
    throw new Error("usage: main.js fetch|start cassandra|elasticsearch | main.js stop <run directory>");
  }
  const settings = await readSettings();
  if (verb === "fetch") {
    await (what === "cassandra" ? fetchCassandra(settings) : fetchElasticsearch(settings));
    return;
  }
  const spec = what === "cassandra" ? await prepareCassandra(settings) : await prepareElasticsearch(settings);
  await startEngine(spec, { timeoutMs: settings.timeoutMs, log });
  const lines = { ...spec.exports, [`CINEMESH_${what.toUpperCase()}_DIR`]: spec.cwd };
  process.stdout.write(Object.entries(lines).map(([k, v]) => `${k}=${v}\n`).join(""));
}

async function readSettings(): Promise<Settings> {
  const r = new EnvReader(process.env);
  const asRoot = process.getuid?.() === 0;
  const cache = r.string("CINEMESH_ENGINES_CACHE", asRoot ? "/var/cache/cinemesh-engines" : join(homedir(), ".cache", "cinemesh-engines"));
  const timeoutMs = r.int("CINEMESH_ENGINE_START_TIMEOUT_S", 180, 10, 3600) * 1000;
  const javaHomeEnv = r.optional("JAVA_HOME");
  r.done();
  return { cache, timeoutMs, javaHome: javaHomeEnv ?? (await javaHomeOnPath()) };
}

/** The directory of Cassandra's jars, fetched if absent. */
async function fetchCassandra(s: Settings): Promise<string> {
  const pom = join(ENGINES_DIR, "cassandra", "pom.xml");
  const version = pomProperty(await readFile(pom, "utf8"), "cassandra.version");
  const libDir = join(s.cache, `cassandra-${version}`, "lib");
  await fetchOnce(mavenFetch(pom, "copy-dependencies", libDir));
  return libDir;
}

/** The unpacked Elasticsearch distribution, fetched if absent. */
async function fetchElasticsearch(s: Settings): Promise<string> {
  const pom = join(ENGINES_DIR, "elasticsearch", "pom.xml");
  const version = pomProperty(await readFile(pom, "utf8"), "elasticsearch.version");
  const into = join(s.cache, `elasticsearch-${version}`);
  await fetchOnce(mavenFetch(pom, "unpack-dependencies", into));
  return join(into, `elasticsearch-${version}`);
}

async function prepareCassandra(s: Settings): Promise<EngineSpec> {
  const libDir = await fetchCassandra(s);
  const [nativePort, storagePort] = [await freePort(), await freePort()];
  const runDir = await mkdtemp(join(tmpdir(), "cinemesh-cassandra-"));
  return cassandraSpec({ libDir, runDir, java: join(s.javaHome, "bin", "java"), nativePort, storagePort, heapMb: 1024 });
}

async function prepareElasticsearch(s: Settings): Promise<EngineSpec> {
  const home = await fetchElasticsearch(s);
  const [httpPort, transportPort] = [await freePort(), await freePort()];
  const runDir = await mkdtemp(join(tmpdir(), "cinemesh-elasticsearch-"));
  const runAs = process.getuid?.() === 0 ? engineUser() : undefined;
  return elasticsearchSpec({ home, runDir, javaHome: s.javaHome, httpPort, transportPort, heapMb: 512, runAs });
}

/** Runs the fetch unless an earlier run completed it (a marker file says so; a half fetch is redone). */
async function fetchOnce(fetch: FetchSpec): Promise<void> {
  const marker = `${fetch.into}.complete`;
  if (await exists(marker)) return;
  log(`fetching into ${fetch.into}: ${fetch.command} ${fetch.args.join(" ")}`);
  await rm(fetch.into, { recursive: true, force: true });
  await new Promise<void>((resolve, reject) => {
    // Maven's output to standard error: standard output carries the KEY=value lines.
    const child = spawn(fetch.command, fetch.args, { stdio: ["ignore", 2, 2] });
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${fetch.command} failed (exit code ${code}) fetching into ${fetch.into}`))));
  });
  await writeFile(marker, `${new Date().toISOString()}\n`);
}

/** The uid and gid of ENGINE_USER, created as a system user without a home the first time. */
function engineUser(): { uid: number; gid: number } {
  const id = (flag: string) => Number(execFileSync("id", [flag, ENGINE_USER], { encoding: "utf8" }).trim());
  try {
    return { uid: id("-u"), gid: id("-g") };
  } catch {
    execFileSync("useradd", ["--system", "--no-create-home", "--shell", "/usr/sbin/nologin", ENGINE_USER]);
    return { uid: id("-u"), gid: id("-g") };
  }
}

async function javaHomeOnPath(): Promise<string> {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    const java = join(dir, "java");
    if (await exists(java)) return dirname(dirname(await realpath(java)));
  }
  throw new Error("no java on PATH and JAVA_HOME is not set: install a JDK 17 (apt-get install openjdk-17-jdk-headless)");
}

/** A port nothing listens on now; the engine binds it a moment later (a race only a port-grabbing neighbour loses). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const exists = (path: string) => access(path).then(() => true, () => false);

main(process.argv.slice(2)).catch((err: unknown) => {
  log(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
