import { fork, spawn, type ChildProcess } from "node:child_process";
import { waitAlive } from "../../platform/launcher/wait-healthy.js";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { generateAuthKeyPair } from "../../platform/auth/tokens.js";
import { HOP_GENRES } from "./hop-fixture.js";
import { wrk, type LoadResult } from "./wrk.js";

/**
 * The cost of one hop through the mesh: requests/s of `GET /api/v1/genres` at the edge (REST →
 * unary gRPC over h2c → the catalog contract on the platform host → JSON) divided by requests/s of
 * a bare node:http server answering the same JSON. Same load generator (wrk), same connections,
 * same machine, one run. Each server runs in its own process, as in production.
 *
 *   npm run bench:hop            (env: HOP_SECONDS=15 HOP_CONNECTIONS=64)
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.resolve(here, "../..");
const seconds = Number(process.env.HOP_SECONDS ?? 15);
const connections = Number(process.env.HOP_CONNECTIONS ?? 64);
const children: ChildProcess[] = [];

function startChild(entry: string, env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; port: number }> {
  const child = fork(entry, { env: { ...process.env, ...env, LOG_LEVEL: "warn" }, stdio: ["ignore", "inherit", "inherit", "ipc"] });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.once("message", (m) => resolve({ child, port: (m as { port: number }).port }));
    child.once("exit", (code) => reject(new Error(`${entry} exited with ${code}`)));
  });
}

async function measure(label: string, url: string): Promise<LoadResult> {
  await wrk(url, { connections, seconds: 3 }); // warm-up: JIT, pools, connections
  const r = await wrk(url, { connections, seconds });
  console.log(`${label.padEnd(34)} ${r.requestsPerSecond.toFixed(0).padStart(8)} req/s   p50 ${r.p50Ms.toFixed(2)} ms   p99 ${r.p99Ms.toFixed(2)} ms   errors ${r.errors}`);
  return r;
}

async function main(): Promise<void> {
  const body = JSON.stringify({ genres: HOP_GENRES });
  const keys = await generateAuthKeyPair();
  const reference = await startChild(path.join(here, "hop-reference.js"), { HOP_BODY: body });
  const service = await startChild(path.join(here, "hop-service.js"), { CATALOG_PORT: "0", AUTH_PUBLIC_KEY: keys.publicKeyPem });
  const edgePort = 18080;
  const edge = spawn(process.execPath, [path.join(dist, "edge-gateway/main.js")], {
    env: { ...process.env, MEDIA_SIGNING_KEY: randomBytes(32).toString("base64"), AUTH_PUBLIC_KEY: keys.publicKeyPem, EDGE_PORT: String(edgePort), EDGE_OPERATOR_PORT: "0", CATALOG_ADDR: `http://127.0.0.1:${service.port}`, LOG_LEVEL: "warn", EDGE_RATE_LIMIT_PER_IP_PER_MINUTE: "0", EDGE_RATE_LIMIT_PER_USER_PER_MINUTE: "0" },
    stdio: ["ignore", "inherit", "inherit"],
  });
  children.push(edge);
  // Only the catalog runs here, so the edge is alive but never ready (that waits for the whole mesh).
  await waitAlive(`http://127.0.0.1:${edgePort}`, Date.now() + 15_000);
  const check = await (await fetch(`http://127.0.0.1:${edgePort}/api/v1/genres`)).text();
  if (JSON.stringify(JSON.parse(check)) !== body) throw new Error(`edge answered ${check}, expected ${body}`);

  console.log(`hop benchmark: wrk, ${connections} connections, ${seconds} s per run, node ${process.version}, ${(await import("node:os")).cpus().length} cores\n`);
  const ref = await measure("bare node:http (reference)", `http://127.0.0.1:${reference.port}/api/v1/genres`);
  const mesh = await measure("edge REST -> gRPC -> service", `http://127.0.0.1:${edgePort}/api/v1/genres`);
  console.log(`\nratio (mesh / reference): ${(mesh.requestsPerSecond / ref.requestsPerSecond).toFixed(3)}`);
}

main()
  .catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => {
    for (const c of children) c.kill("SIGTERM");
  });
