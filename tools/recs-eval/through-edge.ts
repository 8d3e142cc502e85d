import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { IdentityService } from "../../gen/cinemesh/identity/v1/identity_pb.js";
import { RecommendationService } from "../../gen/cinemesh/recommendation/v1/recommendation_pb.js";
import { adminToken, edgeCatalog } from "../catalog-import/edge-catalog.js";
import { edgeMembers } from "../catalog-import/edge-members.js";
import { importDirectory } from "../catalog-import/run-import.js";
import { BENCH_ADMIN, startBenchMesh } from "../loadtest/bench-mesh.js";
import { compareIds, type Dataset } from "./dataset.js";
import { quality } from "./metrics.js";
import type { Result } from "./run-eval.js";
import { splitByTime } from "./split.js";
import { writeDataset } from "./write-dataset.js";

const PASSWORD = "MovieLens-eval-1";
const EMAIL_DOMAIN = "eval.cinemesh.test";
/** Test users read at once; each signs in first (one scrypt verification). */
const READERS = 8;

/**
 * The evaluation end to end: the same split, but the train part goes through the catalog importer
 * into a mesh like `npm start`'s (titles, one member per user, ratings over the bulk RPCs), the
 * service rebuilds from the events it consumed, and every test user signs in and reads their top
 * ten through the edge (GET /api/v1/profile/{id}/recommendations), as a client would.
 */
export async function evaluateThroughEdge(data: Dataset, k: number, opts: { portOffset: number; log: (line: string) => void }): Promise<Result> {
  const started = performance.now();
  const cpu0 = process.cpuUsage();
  const { train, test } = splitByTime(data.ratings);
  const dir = await mkdtemp(path.join(os.tmpdir(), "cinemesh-recs-eval-"));
  await writeDataset(dir, { movies: data.movies, ratings: train });
  const mesh = await startBenchMesh(opts.portOffset, { RECOMMENDATION_REBUILD_INTERVAL_SECONDS: "86400" });
  try {
    const token = () => adminToken(mesh.edgeUrl, BENCH_ADMIN.email, BENCH_ADMIN.password);
    const imported = await importDirectory(
      { dir, concurrency: 16, defaultRating: "PG_13", ratings: { password: PASSWORD, emailDomain: EMAIL_DOMAIN, members: edgeMembers(mesh.edgeUrl, token) } },
      edgeCatalog({ edge: mesh.edgeUrl, auth: BENCH_ADMIN }),
      { stderr: process.stderr },
    );
    const ratings = imported.ratings!;
    opts.log(`through the edge: ${imported.created} titles, ${ratings.members.size} members, ${ratings.imported} ratings imported in ${seconds(started)} s`);

    const recommendation = createClient(RecommendationService, createConnectTransport({ baseUrl: mesh.edgeUrl, httpVersion: "1.1" }));
    const asAdmin = { headers: { authorization: `Bearer ${await token()}` } };
    // The service consumes the ratings' events on its own time: rebuild until it has seen them all.
    for (;;) {
      const rebuilt = await recommendation.rebuildModel({}, asAdmin);
      if (rebuilt.interactionCount >= ratings.imported) break;
      await new Promise((r) => setTimeout(r, 2_000));
    }
    opts.log(`through the edge: the model holds every rating ${seconds(started)} s after the start`);

    const movieOf = new Map(imported.mapping.filter((m) => m.source === "movielens").map((m) => [m.contentId, m.id]));
    const identity = createClient(IdentityService, createConnectTransport({ baseUrl: mesh.edgeUrl, httpVersion: "1.1" }));
    const users = [...test.keys()].sort(compareIds);
    const lists = new Map<string, string[]>();
    let next = 0;
    await Promise.all(
      Array.from({ length: READERS }, async () => {
        while (next < users.length) {
          const userId = users[next++]!;
          const member = ratings.members.get(userId);
          if (member === undefined) continue;
          const { token: memberToken } = await identity.login({ email: member.email, password: PASSWORD });
          const res = await fetch(`${mesh.edgeUrl}/api/v1/profile/${member.profileId}/recommendations?limit=${k}`, {
            headers: { authorization: `Bearer ${memberToken}`, "profile-id": member.profileId },
          });
          if (!res.ok) throw new Error(`recommendations of user ${userId}: HTTP ${res.status} ${await res.text()}`);
          const body = (await res.json()) as { recommendations: Array<{ contentId: string }> };
          lists.set(userId, body.recommendations.map((r) => movieOf.get(r.contentId) ?? r.contentId));
        }
      }),
    );
    const cpu = process.cpuUsage(cpu0);
    return { name: "ours, through the edge", ...quality(k, lists, test, data.movies.length), wallSeconds: (performance.now() - started) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
  } finally {
    await mesh.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

const seconds = (since: number) => ((performance.now() - since) / 1000).toFixed(0);
