import http from "node:http";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { RecommendationService } from "../../gen/cinemesh/recommendation/v1/recommendation_pb.js";
import { adminToken, edgeCatalog } from "../catalog-import/edge-catalog.js";
import { edgeMembers } from "../catalog-import/edge-members.js";
import { importRatingsFile } from "../catalog-import/import-ratings.js";
import { importDirectory } from "../catalog-import/run-import.js";
import { generateInteractions } from "../recs-eval/generate.js";
import { writeDataset } from "../recs-eval/write-dataset.js";
import { signedIn, timedEach, type SignedInMember } from "./bench-load.js";
import type { MeshProcess } from "../../platform/launcher/mesh-process.js";
import { BENCH_ADMIN, startBenchMesh } from "./bench-mesh.js";
import { cpuSeconds } from "./process-cpu.js";
import { percentile } from "./route-stats.js";
import { timedRequest } from "./timed-request.js";

/**
 * The home page under load, healthy and degraded, on the mesh `npm start` runs: a generated
 * MovieLens-layout catalog imported through the edge, members with rating histories (imported),
 * watch progress and My List entries (through the edge), the recommendation model rebuilt. Then
 * viewers, one per profile, load `GET /api/v1/content/home` through the edge for a fixed time, each
 * waiting a think time between loads, in four phases: healthy; with the recommendation service
 * frozen (SIGSTOP: its port open, nothing answered, the hardest way for a dependency to be down);
 * with library slowed by 2 s through its fault switch; and the reference, the naive client that
 * calls each row's API in sequence (continue watching, My List, recommendations, because you
 * watched, trending, genres, then each genre row).
 *
 *   npm run bench:home   (env: HOME_BENCH_TITLES=2000 HOME_BENCH_PROFILES=200 HOME_BENCH_SECONDS=60
 *                         HOME_BENCH_THINK_MS=5000 HOME_BENCH_PORT_OFFSET=12500; BROWSE_HOME_TTL_SECONDS
 *                         (default 0 here: every page is assembled, none served from its kept copy);
 *                         DATABASE_URL, REDIS_URL, NATS_URL: the mesh on them)
 */
const config = {
  titles: Number(process.env.HOME_BENCH_TITLES ?? 2_000),
  profiles: Number(process.env.HOME_BENCH_PROFILES ?? 200),
  seconds: Number(process.env.HOME_BENCH_SECONDS ?? 60),
  thinkMs: Number(process.env.HOME_BENCH_THINK_MS ?? 5_000),
  portOffset: Number(process.env.HOME_BENCH_PORT_OFFSET ?? 12_500),
  homeTtlSeconds: process.env.BROWSE_HOME_TTL_SECONDS ?? "0",
  /** Titles given a video, for the progress the histories report. */
  videos: 100,
  /** The browse service's page budget (its default): what the degraded p99s are held to, plus 50 ms. */
  budgetMs: Number(process.env.BROWSE_PAGE_BUDGET_MS ?? 250),
};
const admin = BENCH_ADMIN;
const PASSWORD = "Home-bench-passw0rd";
const GENRE_ROWS = 10;
const ROW_LENGTH = 20;

interface PhaseResult {
  name: string;
  sorted: number[];
  seconds: number;
  /** Answers by HTTP status. */
  statuses: Map<number, number>;
  /** Pages that said `partial`. */
  partial: number;
  failures: string[];
  /** CPU time each busy process of the mesh spent per page (or per naive page) in the phase. */
  cpuMsPerPage: Map<string, number>;
}

async function main(): Promise<void> {
  const data = generateInteractions({ users: config.profiles, titles: config.titles, seed: 7 });
  const dir = await mkdtemp(path.join(os.tmpdir(), "cinemesh-home-bench-"));
  await writeDataset(dir, data);
  console.log(
    `${data.movies.length} titles, ${data.ratings.length} ratings of ${config.profiles} profiles; ${config.profiles} viewers, ${config.thinkMs} ms between loads, ${config.seconds} s a phase; BROWSE_HOME_TTL_SECONDS=${config.homeTtlSeconds}`,
  );
  const mesh = await startBenchMesh(config.portOffset, {
    FAULTS_ENABLED: "true",
    BROWSE_HOME_TTL_SECONDS: config.homeTtlSeconds,
    RECOMMENDATION_REBUILD_INTERVAL_SECONDS: "86400",
  });
  const agent = new http.Agent({ keepAlive: true, maxSockets: config.profiles + 16 });
  try {
    const token = () => adminToken(mesh.edgeUrl, admin.email, admin.password);
    let t0 = Date.now();
    const titles = await importDirectory({ dir, concurrency: 16, defaultRating: "PG_13" }, edgeCatalog({ edge: mesh.edgeUrl, auth: admin }), { stderr: process.stderr });
    const contentIdOf = new Map(titles.mapping.filter((m) => m.source === "movielens").map((m) => [m.id, m.contentId]));
    const ratings = await importRatingsFile({ dir, password: PASSWORD, emailDomain: "home-bench.cinemesh.test", concurrency: 4 }, contentIdOf, edgeMembers(mesh.edgeUrl, token), { stderr: process.stderr });
    console.log(`imported ${titles.created} titles, ${ratings.membersCreated} members and ${ratings.imported} ratings in ${seconds(t0)} s`);

    const viewers = await signedIn(mesh.edgeUrl, [...ratings.members.values()].slice(0, config.profiles), PASSWORD);
    t0 = Date.now();
    await addHistories(mesh.edgeUrl, agent, await token(), [...contentIdOf.values()], viewers);
    console.log(`watch progress and My List of ${viewers.length} profiles added in ${seconds(t0)} s`);

    const recommendation = createClient(RecommendationService, createGrpcTransport({ baseUrl: mesh.serviceUrl("recommendation") }));
    const asAdmin = { headers: { authorization: `Bearer ${await token()}` } };
    let rebuilt = await recommendation.rebuildModel({}, asAdmin);
    while (rebuilt.interactionCount < ratings.imported) {
      await new Promise((r) => setTimeout(r, 2_000));
      rebuilt = await recommendation.rebuildModel({}, asAdmin);
    }
    console.log(`model rebuilt: ${rebuilt.titleCount} titles, ${rebuilt.interactionCount} interactions`);

    const home = homeLoader(mesh.edgeUrl, agent);
    // Every profile's page once, so shared rows and connections are warm in every phase.
    await timedEach(viewers, 16, (v) => home(v));
    const processes = await meshProcesses(mesh);
    // The imports' events (lists recomputed, titles indexed) are still being worked off: wait for quiet.
    t0 = Date.now();
    const wentQuiet = await quiet(processes);
    console.log(wentQuiet ? `the mesh went quiet ${seconds(t0)} s after the warm-up` : `the mesh was still busy ${seconds(t0)} s after the warm-up; measuring anyway`);
    const results: PhaseResult[] = [];
    results.push(await phase("GetHome, healthy", viewers, home, processes));
    await mesh.freeze("recommendation");
    try {
      results.push(await phase("GetHome, recommendation frozen", viewers, home, processes));
    } finally {
      await mesh.thaw("recommendation");
    }
    await setLibraryDelay(mesh.operatorUrl("library"), 2_000);
    try {
      results.push(await phase("GetHome, library +2 s", viewers, home, processes));
    } finally {
      await setLibraryDelay(mesh.operatorUrl("library"), 0);
    }
    const genres = await genreSlugs(mesh.edgeUrl, agent, viewers[0]!);
    results.push(await phase("naive: rows in sequence", viewers, naiveLoader(mesh.edgeUrl, agent, genres), processes));
    report(results);
  } finally {
    agent.destroy();
    await mesh.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

/** Each profile watches part of three titles and adds three to My List, through the edge. */
async function addHistories(edge: string, agent: http.Agent, token: string, contentIds: string[], viewers: SignedInMember[]): Promise<void> {
  const json = (method: string, route: string, body: unknown, headers: Record<string, string>) =>
    timedRequest(agent, new URL(route, edge), { method, headers: { ...headers, "content-type": "application/json" }, body: JSON.stringify(body), keepText: true }).then((r) => {
      if (r.status !== 200) throw new Error(`${method} ${route}: HTTP ${r.status} ${r.text}`);
      return JSON.parse(r.text!) as Record<string, string>;
    });
  const videos: string[] = [];
  await timedEach(contentIds.slice(0, config.videos), 8, async (contentId) => {
    const { videoId } = await json("POST", `/api/v1/admin/content/${contentId}/video`, { filename: "feature.mp4", sizeBytes: 1_000_000, contentType: "video/mp4" }, { authorization: `Bearer ${token}` });
    videos.push(videoId!);
  });
  await timedEach(viewers, 8, async (v) => {
    const seed = Number.parseInt(v.profileId.slice(0, 8), 16);
    for (let k = 0; k < 3; k++) {
      const videoId = videos[(seed + k * 31) % videos.length]!;
      await json("POST", `/api/v1/video/${videoId}/progress`, { position: 300 + ((seed >>> k) % 3000), duration: 6_000 }, v.call.headers);
      const listed = contentIds[config.videos + ((seed + k * 97) % (contentIds.length - config.videos))]!;
      await json("POST", `/api/v1/profile/${v.profileId}/my-list`, { contentId: listed }, v.call.headers);
    }
  });
}

type Loader = (v: SignedInMember) => Promise<{ status: number; partial: boolean }>;

function homeLoader(edge: string, agent: http.Agent): Loader {
  const url = new URL(`/api/v1/content/home?limit=${ROW_LENGTH}&categoryCount=${GENRE_ROWS}`, edge);
  return async (v) => {
    const r = await timedRequest(agent, url, { headers: v.call.headers, keepText: true });
    return { status: r.status, partial: r.text!.includes('"partial":true') };
  };
}

/** The naive client: each row's own API, one after another, as a page without GetHome would. */
function naiveLoader(edge: string, agent: http.Agent, genres: string[]): Loader {
  return async (v) => {
    const p = v.profileId;
    const routes = [
      `/api/v1/profile/${p}/continue-watching?limit=${ROW_LENGTH}`,
      `/api/v1/profile/${p}/my-list?limit=${ROW_LENGTH}`,
      `/api/v1/profile/${p}/recommendations?limit=${ROW_LENGTH}`,
      `/api/v1/profile/${p}/because-you-watched?rows=2&limit=${ROW_LENGTH}`,
      `/api/v1/content/trending?limit=${ROW_LENGTH}`,
      "/api/v1/genres",
      ...genres.map((g) => `/api/v1/content/category/${g}?limit=${ROW_LENGTH}`),
    ];
    for (const route of routes) {
      const r = await timedRequest(agent, new URL(route, edge), { headers: v.call.headers });
      if (r.status !== 200) return { status: r.status, partial: false };
    }
    return { status: 200, partial: false };
  };
}

/** The slugs of the genres with most titles: the genre rows a naive page draws. */
async function genreSlugs(edge: string, agent: http.Agent, v: SignedInMember): Promise<string[]> {
  const r = await timedRequest(agent, new URL("/api/v1/genres", edge), { headers: v.call.headers, keepText: true });
  const { genres } = JSON.parse(r.text!) as { genres: Array<{ slug: string; contentCount?: number }> };
  return [...genres].sort((a, b) => (b.contentCount ?? 0) - (a.contentCount ?? 0)).slice(0, GENRE_ROWS).map((g) => g.slug);
}

/** Every viewer loads with `load`, then waits the think time, until the phase's time is up. */
async function phase(name: string, viewers: SignedInMember[], load: Loader, processes: Map<string, number>): Promise<PhaseResult> {
  const result: PhaseResult = { name, sorted: [], seconds: 0, statuses: new Map(), partial: 0, failures: [], cpuMsPerPage: new Map() };
  const cpuBefore = new Map([...processes].map(([n, pid]) => [n, cpuSeconds([pid])]));
  const started = performance.now();
  const until = started + config.seconds * 1000;
  await Promise.all(
    viewers.map(async (v, i) => {
      // Viewers start spread over one think time, not all at once.
      await sleep((i / viewers.length) * config.thinkMs);
      while (performance.now() < until) {
        const t = performance.now();
        try {
          const { status, partial } = await load(v);
          result.sorted.push(performance.now() - t);
          result.statuses.set(status, (result.statuses.get(status) ?? 0) + 1);
          if (partial) result.partial++;
        } catch (err) {
          result.failures.push(String(err));
        }
        await sleep(config.thinkMs);
      }
    }),
  );
  result.seconds = (performance.now() - started) / 1000;
  result.sorted.sort((a, b) => a - b);
  for (const [n, pid] of processes) result.cpuMsPerPage.set(n, ((cpuSeconds([pid]) - cpuBefore.get(n)!) * 1000) / Math.max(1, result.sorted.length));
  console.log(`${name}: done`);
  return result;
}

/** The mesh's processes by name (services, edge, Postgres), for CPU accounting. */
async function meshProcesses(mesh: MeshProcess): Promise<Map<string, number>> {
  const named = new Map<string, number>();
  for (const line of await mesh.processes()) {
    const name = /services\/([a-z]+)\/(main|worker)/.exec(line)?.[1] ?? (line.includes("edge-gateway") ? "edge" : line.includes("postgres") ? "postgres" : undefined);
    if (name !== undefined && !named.has(name)) named.set(name, Number(line.split(" ")[0]));
  }
  return named;
}

/** Waits (at most 3 min) until the mesh uses less than a fifth of a core over 5 s; false if it never did. */
async function quiet(processes: Map<string, number>): Promise<boolean> {
  const pids = [...processes.values()];
  for (let i = 0; i < 36; i++) {
    const before = cpuSeconds(pids);
    await sleep(5_000);
    if (cpuSeconds(pids) - before < 1) return true;
  }
  return false;
}

async function setLibraryDelay(operatorUrl: string, delayMs: number): Promise<void> {
  const res = await fetch(`${operatorUrl}/faults`, { method: "PUT", body: JSON.stringify({ delayMs }) });
  if (!res.ok) throw new Error(`PUT ${operatorUrl}/faults: HTTP ${res.status} ${await res.text()}`);
}

function report(results: PhaseResult[]): void {
  console.log("");
  console.log("                                   pages/s   p50 ms   p99 ms   5xx   other non-200   partial   failed");
  for (const r of results) {
    const fiveXx = [...r.statuses].filter(([s]) => s >= 500).reduce((n, [, c]) => n + c, 0);
    const other = [...r.statuses].filter(([s]) => s !== 200 && s < 500).reduce((n, [, c]) => n + c, 0);
    console.log(
      `${r.name.padEnd(34)} ${(r.sorted.length / r.seconds).toFixed(0).padStart(7)} ${percentile(r.sorted, 0.5).toFixed(0).padStart(8)} ${percentile(r.sorted, 0.99).toFixed(0).padStart(8)} ${String(fiveXx).padStart(5)} ${String(other).padStart(15)} ${`${((100 * r.partial) / Math.max(1, r.sorted.length)).toFixed(0)}%`.padStart(9)} ${String(r.failures.length).padStart(8)}`,
    );
    for (const f of new Set(r.failures.slice(0, 3))) console.log(`    failed: ${f}`);
    const busiest = [...r.cpuMsPerPage].filter(([, ms]) => ms >= 0.5).sort((a, b) => b[1] - a[1]);
    console.log(`    CPU ms per page: ${busiest.map(([n, ms]) => `${n} ${ms.toFixed(1)}`).join(", ")}`);
  }
  const [healthy, , , naive] = results;
  console.log("");
  for (const r of results.slice(1, 3)) {
    const p99 = percentile(r.sorted, 0.99);
    console.log(`${r.name}: p99 ${p99.toFixed(0)} ms ${p99 <= config.budgetMs + 50 ? "within" : "OVER"} the budget + 50 ms (${config.budgetMs + 50} ms)`);
  }
  const ratio = (q: number) => (percentile(naive!.sorted, q) / percentile(healthy!.sorted, q)).toFixed(1);
  console.log(`naive rows in sequence / GetHome: p50 ${ratio(0.5)}×, p99 ${ratio(0.99)}×`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const seconds = (since: number) => ((Date.now() - since) / 1000).toFixed(0);

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
