import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { Redis } from "ioredis";
import { RecommendationService } from "../../gen/cinemesh/recommendation/v1/recommendation_pb.js";
import { signedIn, timedEach, type Timings } from "./bench-load.js";
import { BENCH_ADMIN, startBenchMesh } from "./bench-mesh.js";
import { adminToken, edgeCatalog } from "../catalog-import/edge-catalog.js";
import { edgeMembers } from "../catalog-import/edge-members.js";
import { importRatingsFile } from "../catalog-import/import-ratings.js";
import { importDirectory } from "../catalog-import/run-import.js";
import { generateInteractions } from "../recs-eval/generate.js";
import { writeDataset } from "../recs-eval/write-dataset.js";
import { listeningPids } from "./process-cpu.js";
import { percentile } from "./route-stats.js";

/**
 * Recommendation at the issue's scale, on the mesh `npm start` runs: a generated MovieLens-layout
 * set (10,000 titles, ~100,000 ratings of 1,000 users) imported through the edge (titles, then
 * members and ratings over the bulk RPCs), the model rebuilt (time, and the service's peak memory),
 * then GetRecommendations from concurrent callers against the recommendation service, with a bare
 * Redis GET of a profile's precomputed lists at the same concurrency as the reference.
 *
 *   REDIS_URL=redis://127.0.0.1:6379 npm run bench:recs      (DATABASE_URL, NATS_URL: the mesh on them too)
 *   (env: RECS_BENCH_TITLES=10000 RECS_BENCH_USERS=1000 RECS_BENCH_CALLERS=16,200
 *    RECS_BENCH_SECONDS=30 RECS_BENCH_PROFILES=200 RECS_BENCH_PORT_OFFSET=1200)
 */
const config = {
  titles: Number(process.env.RECS_BENCH_TITLES ?? 10_000),
  users: Number(process.env.RECS_BENCH_USERS ?? 1_000),
  /** Concurrent callers, one load run each: the issue's 200, and a load the service is not saturated by. */
  callers: (process.env.RECS_BENCH_CALLERS ?? "16,200").split(",").map(Number),
  seconds: Number(process.env.RECS_BENCH_SECONDS ?? 30),
  profiles: Number(process.env.RECS_BENCH_PROFILES ?? 200),
  portOffset: Number(process.env.RECS_BENCH_PORT_OFFSET ?? 1_200),
};
const admin = BENCH_ADMIN;
const PASSWORD = "MovieLens-bench-1";
const EMAIL_DOMAIN = "bench.cinemesh.test";

async function main(): Promise<void> {
  const redisUrl = process.env.REDIS_URL;
  if (!redisUrl) throw new Error("bench:recs needs REDIS_URL: the reference is a bare read of the lists the service keeps in Redis");
  const data = generateInteractions({ users: config.users, titles: config.titles, seed: 1 });
  const dir = await mkdtemp(path.join(os.tmpdir(), "cinemesh-recs-bench-"));
  await writeDataset(dir, data);
  console.log(`${data.movies.length} titles, ${data.ratings.length} ratings of ${config.users} users; ${config.callers.join(" and ")} concurrent callers for ${config.seconds} s each`);

  const mesh = await startBenchMesh(config.portOffset, { REDIS_URL: redisUrl, RECOMMENDATION_REBUILD_INTERVAL_SECONDS: "86400" });
  const redis = new Redis(redisUrl);
  try {
    const token = () => adminToken(mesh.edgeUrl, admin.email, admin.password);
    let t0 = Date.now();
    const titles = await importDirectory({ dir, concurrency: 16, defaultRating: "PG_13" }, edgeCatalog({ edge: mesh.edgeUrl, auth: admin }), { stderr: process.stderr });
    console.log(`titles: ${titles.created} imported in ${seconds(t0)} s`);
    t0 = Date.now();
    const contentIdOf = new Map(titles.mapping.filter((m) => m.source === "movielens").map((m) => [m.id, m.contentId]));
    const ratings = await importRatingsFile({ dir, password: PASSWORD, emailDomain: EMAIL_DOMAIN, concurrency: 4 }, contentIdOf, edgeMembers(mesh.edgeUrl, token), { stderr: process.stderr });
    console.log(`members and ratings: ${ratings.membersCreated} members, ${ratings.imported} ratings imported in ${seconds(t0)} s`);

    const recommendation = createClient(RecommendationService, createGrpcTransport({ baseUrl: mesh.serviceUrl("recommendation") }));
    const asAdmin = { headers: { authorization: `Bearer ${await token()}` } };
    t0 = Date.now();
    let rebuilt = await recommendation.rebuildModel({}, asAdmin);
    while (rebuilt.interactionCount < ratings.imported) {
      await new Promise((r) => setTimeout(r, 2_000));
      rebuilt = await recommendation.rebuildModel({}, asAdmin);
    }
    console.log(`every rating reached the recommendation service ${seconds(t0)} s after the import`);
    rebuilt = await recommendation.rebuildModel({}, asAdmin);
    const [pid] = await listeningPids(Number(new URL(mesh.serviceUrl("recommendation")).port));
    console.log(`rebuild: ${rebuilt.titleCount} titles, ${rebuilt.interactionCount} interactions in ${(Number(rebuilt.tookMs) / 1000).toFixed(1)} s; the service's peak memory ${peakRssMb(pid!)} MB`);

    const callers = await signedIn(mesh.edgeUrl, [...ratings.members.values()].slice(0, config.profiles), PASSWORD);
    // The first read of a profile computes and keeps its lists; the load below reads kept lists.
    const cold = await timedEach(callers, 8, (c) => recommendation.getRecommendations({ profileId: c.profileId }, c.call));
    const runs: Array<[string, Timings]> = [["first read (computes)", cold]];
    for (const width of config.callers) {
      runs.push([
        `GetRecommendations ×${width}`,
        await load(width, config.seconds, (i) => {
          const c = callers[i % callers.length]!;
          return recommendation.getRecommendations({ profileId: c.profileId }, c.call);
        }),
      ]);
    }
    // The mesh picks its own namespace, the kv keys' prefix: found from the first profile's key.
    const [someKey] = await redis.keys(`*recommendation:recommendations:${callers[0]!.profileId}`);
    if (someKey === undefined) throw new Error("no precomputed lists in Redis: is the mesh using REDIS_URL?");
    const prefix = someKey.slice(0, someKey.length - callers[0]!.profileId.length);
    for (const width of config.callers) {
      runs.push([
        `Redis GET ×${width}`,
        await load(width, config.seconds, async (i) => {
          if ((await redis.get(prefix + callers[i % callers.length]!.profileId)) === null) throw new Error("a profile's lists are missing from Redis");
        }),
      ]);
    }
    console.log("");
    console.log("                          calls/s   p50 ms   p99 ms");
    for (const [name, timings] of runs) console.log(row(name, timings));
    console.log("");
    for (const width of config.callers) {
      const p99 = (name: string) => percentile(runs.find(([n]) => n === name)![1].sorted, 0.99);
      console.log(`${width} callers: GetRecommendations p99 / Redis GET p99 = ${(p99(`GetRecommendations ×${width}`) / p99(`Redis GET ×${width}`)).toFixed(1)}×`);
    }
  } finally {
    redis.disconnect();
    await mesh.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

/** `callers` loops calling `fn` for `durationSeconds`; every call must succeed. */
async function load(callers: number, durationSeconds: number, fn: (i: number) => Promise<unknown>): Promise<Timings> {
  const times: number[] = [];
  const started = performance.now();
  const until = started + durationSeconds * 1000;
  let i = 0;
  await Promise.all(
    Array.from({ length: callers }, async () => {
      while (performance.now() < until) {
        const t = performance.now();
        try {
          await fn(i++);
        } catch (err) {
          throw new Error(`a call failed under load: ${ConnectError.from(err).code === Code.Unknown ? String(err) : ConnectError.from(err).message}`);
        }
        times.push(performance.now() - t);
      }
    }),
  );
  return { sorted: times.sort((a, b) => a - b), seconds: (performance.now() - started) / 1000 };
}

function row(name: string, t: Timings): string {
  return `${name.padEnd(24)} ${(t.sorted.length / t.seconds).toFixed(0).padStart(8)} ${percentile(t.sorted, 0.5).toFixed(1).padStart(8)} ${percentile(t.sorted, 0.99).toFixed(1).padStart(8)}`;
}

/** The process's peak resident memory (VmHWM), in MB. */
function peakRssMb(pid: number): string {
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? Number.NaN);
  return (kb / 1024).toFixed(0);
}

const seconds = (since: number) => ((Date.now() - since) / 1000).toFixed(0);

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
