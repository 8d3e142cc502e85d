import path from "node:path";
import { fileURLToPath } from "node:url";
import { EnvReader } from "../config.js";
import { embeddedPostgresPort } from "../storage/select.js";
import { EDGE_PORT, SERVICE_NAMES, serviceAddress } from "../services.js";
import { ensureDevMediaKey } from "../media/signing-key.js";
import { processEnv } from "./child-env.js";
import { ensureDevKeys } from "./keys.js";
import { defaultOperatorPort } from "../host/service-config.js";
import { describeExit, exitedCleanly, startProcess, stopInOrder, type ManagedProcess } from "./processes.js";
import { waitServing } from "./wait-healthy.js";

/**
 * `npm start`: the whole mesh on one machine with embedded defaults. Starts the shared engines once
 * (a real Postgres unless DATABASE_URL is set), then every service and the edge as their own
 * processes, waits until each reports SERVING, prints where they listen, and on Ctrl-C or SIGTERM
 * stops them all gracefully.
 */
const distRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const env = new EnvReader(process.env);
const dataDir = path.resolve(env.string("CINEMESH_DATA_DIR", ".cinemesh"));
const pgPort = embeddedPostgresPort(process.env);
const startTimeoutMs = env.int("CINEMESH_START_TIMEOUT_MS", 60_000, 1);
const edgePort = env.int("EDGE_PORT", EDGE_PORT, 1, 65535);
const edgeOperatorPort = env.int("EDGE_OPERATOR_PORT", defaultOperatorPort(edgePort), 1, 65535);
env.done();

const WORKERS = [{ name: "media-worker", entry: "services/media/worker-main.js", role: "encodes uploaded videos from the work queue" }];

const say = (line: string) => process.stdout.write(`${line}\n`);
let postgres: ManagedProcess | undefined;
let processes: ManagedProcess[] = [];
let stopping = false;
/** The processes must be down this long after the stop began: what still runs is SIGKILLed. */
const STOP_BUDGET_MS = 4_000;
/**
 * Postgres gets longer: SIGKILLing its process would orphan the server it runs (its fast
 * shutdown, after every client has gone, takes well under a second).
 */
const POSTGRES_STOP_BUDGET_MS = 10_000;

async function main(): Promise<void> {
  const started = Date.now();
  const keys = await ensureDevKeys(dataDir);
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    CINEMESH_DATA_DIR: dataDir,
    MEDIA_SIGNING_KEY_FILE: process.env.MEDIA_SIGNING_KEY_FILE ?? (process.env.MEDIA_SIGNING_KEY ? undefined : await ensureDevMediaKey(dataDir)),
    // The media URLs playback hands out point at this edge unless a CDN is in front of it.
    PLAYBACK_MEDIA_BASE_URL: process.env.PLAYBACK_MEDIA_BASE_URL ?? `http://127.0.0.1:${edgePort}/media`,
  };
  if (process.env.DATABASE_URL === undefined) {
    say(`starting embedded Postgres on 127.0.0.1:${pgPort} (data in ${path.join(dataDir, "postgres")})`);
    const pgEnv = { ...process.env, LAUNCHER_POSTGRES_DIR: path.join(dataDir, "postgres"), LAUNCHER_POSTGRES_PORT: String(pgPort) };
    postgres = await startProcess("postgres", path.join(distRoot, "platform/launcher/postgres-main.js"), pgEnv, path.join(dataDir, "logs"));
    watchExit(postgres);
    childEnv.DATABASE_URL = await postgresUrl(postgres);
  }

  const logDir = path.join(dataDir, "logs");
  const entries = [
    ...SERVICE_NAMES.map((name) => ({ name, entry: path.join(distRoot, "services", name, "main.js"), url: serviceAddress(name, childEnv) })),
    { name: "edge", entry: path.join(distRoot, "edge-gateway", "main.js"), url: `http://127.0.0.1:${edgePort}` },
  ];
  processes = await Promise.all(entries.map((e) => startProcess(e.name, e.entry, processEnv(e.name, childEnv, keys), logDir)));
  processes.forEach(watchExit);
  const deadline = Date.now() + startTimeoutMs;
  await Promise.all(entries.map((e) => waitServing(e.url, deadline, () => stopping)));
  if (stopping) return;
  // Workers serve no port: they consume the work queue once the services they call are up.
  for (const w of WORKERS) {
    const p = await startProcess(w.name, path.join(distRoot, w.entry), processEnv(w.name, childEnv, keys), logDir);
    processes.push(p);
    watchExit(p);
  }

  say(`\nCinemesh is up in ${((Date.now() - started) / 1000).toFixed(1)} s; logs in ${logDir}\n`);
  say("  process          listens on");
  for (const e of entries) say(`  ${e.name.padEnd(16)} ${e.url}`);
  for (const w of WORKERS) say(`  ${w.name.padEnd(16)} (no port: ${w.role})`);
  say(`\n  REST and Connect for clients: http://127.0.0.1:${edgePort}/api/v1/...`);
  say(`  operators (/metrics, health, reflection of the whole mesh): http://127.0.0.1:${edgeOperatorPort}`);
  say(`  try: npx buf curl --protocol grpc --http2-prior-knowledge --list-services http://127.0.0.1:${edgeOperatorPort}`);
  say("\nCtrl-C stops everything.");
}

/** The URL the Postgres process reports once it accepts connections. */
function postgresUrl(p: ManagedProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    p.child.on("message", (m: unknown) => {
      if (typeof m === "object" && m !== null && "url" in m) resolve(String(m.url));
    });
    void p.exited.then((s) => reject(new Error(`embedded Postgres exited with ${describeExit(s)}; see ${p.logFile}`)));
  });
}

/** A process that ends while the mesh runs takes the mesh down, saying where its log is. */
function watchExit(p: ManagedProcess): void {
  void p.exited.then((status) => {
    if (stopping) return;
    say(`${p.name} exited with ${describeExit(status)}; see ${p.logFile}. Stopping the mesh.`);
    void shutdown(1);
  });
}

async function shutdown(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  say("\nstopping…");
  // The edge and the workers call the services, so they go first; Postgres last.
  const services = new Set<string>(SERVICE_NAMES);
  const tiers = [processes.filter((p) => !services.has(p.name)), processes.filter((p) => services.has(p.name))];
  const statuses = await stopInOrder(tiers, Date.now() + STOP_BUDGET_MS);
  if (postgres) for (const [name, s] of await stopInOrder([[postgres]], Date.now() + POSTGRES_STOP_BUDGET_MS)) statuses.set(name, s);
  const unclean = [...statuses].filter(([, s]) => !exitedCleanly(s));
  for (const [name, s] of unclean) say(`  ${name} exited with ${describeExit(s)}`);
  say("stopped.");
  process.exit(unclean.length > 0 && code === 0 ? 1 : code);
}

// The launcher owns the shutdown order: clients, services, then Postgres. The children run in
// their own process groups, so a terminal's Ctrl-C reaches only this process.
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));
main().catch((err: unknown) => {
  say(`start failed: ${err instanceof Error ? err.message : String(err)}`);
  void shutdown(1);
});
