import http from "node:http";
import os from "node:os";
import path from "node:path";
import type { MeshProcess } from "../../platform/launcher/mesh-process.js";
import { BENCH_ADMIN, startBenchMesh } from "./bench-mesh.js";
import { SERVICE_NAMES, SERVICE_PORTS } from "../../platform/services.js";
import { startNginx, type Nginx } from "./nginx.js";
import { preparePlaybackFixture } from "./playback-fixture.js";
import { fileServerTarget, meshTarget } from "./playback-targets.js";
import { cpuSeconds, listeningPids } from "./process-cpu.js";
import { ROUTES, RouteStats } from "./route-stats.js";
import { readSegmentSet, saturate, type SaturationResult } from "./segment-saturation.js";
import { runViewers, type PlaybackTarget } from "./viewers.js";

/**
 * Playback under load: simulated HLS viewers against the whole mesh (`npm start`'s processes, a
 * clip encoded by the real worker, a playback session and signed media URLs per viewer), then the
 * same viewer schedule against Debian's nginx serving the very files the mesh wrote, in the same
 * run; then a saturation run (wrk fetching segments as fast as it can) against both. Ratios are
 * ours ÷ nginx.
 *
 *   npm run bench:playback   (env: PLAYBACK_VIEWERS=200 PLAYBACK_SECONDS=60
 *                             PLAYBACK_SATURATION_SECONDS=15 PLAYBACK_SATURATION_CONNECTIONS=64
 *                             PLAYBACK_SATURATION_ROUNDS=1 PLAYBACK_CLIP_SECONDS=24
 *                             PLAYBACK_PORT_OFFSET=20000; PLAYBACK_SECONDS=0 skips the paced runs)
 *
 * With several saturation rounds, ours and nginx alternate and each round gives its own ratio, so
 * a noisy neighbour on a shared machine shows as spread instead of moving one side only.
 */
const config = {
  viewers: Number(process.env.PLAYBACK_VIEWERS ?? 200),
  seconds: Number(process.env.PLAYBACK_SECONDS ?? 60),
  saturationSeconds: Number(process.env.PLAYBACK_SATURATION_SECONDS ?? 15),
  saturationConnections: Number(process.env.PLAYBACK_SATURATION_CONNECTIONS ?? 64),
  saturationRounds: Number(process.env.PLAYBACK_SATURATION_ROUNDS ?? 1),
  clipSeconds: Number(process.env.PLAYBACK_CLIP_SECONDS ?? 24),
  portOffset: Number(process.env.PLAYBACK_PORT_OFFSET ?? 20_000),
  progressEverySeconds: 10,
};
const admin = BENCH_ADMIN;
const log = (line: string) => console.log(line);

interface PacedResult {
  stats: RouteStats;
  elapsedSeconds: number;
  loadGeneratorCpu: number;
  serverCpu: number;
  /** CPU of the mesh's other processes (the services behind play and progress), as a share of one core. */
  otherCpu?: number;
}

async function paced(target: PlaybackTarget, serverPids: number[], otherPids: number[] = []): Promise<PacedResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: config.viewers * 2 + 16, maxFreeSockets: config.viewers * 2 + 16 });
  const stats = new RouteStats();
  const cpu0 = { own: process.cpuUsage(), server: cpuSeconds(serverPids), other: cpuSeconds(otherPids) };
  const { elapsedSeconds } = await runViewers(target, { viewers: config.viewers, seconds: config.seconds, progressEverySeconds: config.progressEverySeconds, agent, stats });
  const own = process.cpuUsage(cpu0.own);
  agent.destroy();
  return {
    stats,
    elapsedSeconds,
    loadGeneratorCpu: (own.user + own.system) / 1e6 / elapsedSeconds,
    serverCpu: (cpuSeconds(serverPids) - cpu0.server) / elapsedSeconds,
    otherCpu: otherPids.length > 0 ? (cpuSeconds(otherPids) - cpu0.other) / elapsedSeconds : undefined,
  };
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(2)} MB/s`;
const pct = (share: number) => `${(share * 100).toFixed(0)}%`;
const ms = (v: number) => (Number.isNaN(v) ? "-" : v.toFixed(1));

function printPaced(ours: PacedResult, ref: PacedResult): void {
  console.log(`\n${"route".padEnd(10)} ${"ours: count".padStart(12)} ${"p50 ms".padStart(8)} ${"p99 ms".padStart(8)}   ${"nginx: count".padStart(12)} ${"p50 ms".padStart(8)} ${"p99 ms".padStart(8)}`);
  for (const route of ROUTES) {
    const [o, r] = [ours.stats.summary(route), ref.stats.summary(route)];
    console.log(`${route.padEnd(10)} ${String(o.count).padStart(12)} ${ms(o.p50Ms).padStart(8)} ${ms(o.p99Ms).padStart(8)}   ${String(r.count).padStart(12)} ${ms(r.p50Ms).padStart(8)} ${ms(r.p99Ms).padStart(8)}`);
  }
  for (const [label, p] of [["ours", ours], ["nginx", ref]] as const) {
    const seg = p.stats.summary("segment");
    const unimpl = [...p.stats.unimplemented].map(([route, n]) => `${n} ${route} UNIMPLEMENTED`).join(", ");
    console.log(
      `${label.padEnd(6)} ${(p.stats.totalRequests() / p.elapsedSeconds).toFixed(1)} req/s overall, segments ${mb(seg.bytes / p.elapsedSeconds)}, ` +
        `errors ${p.stats.errors.length}${unimpl ? ` (apart: ${unimpl})` : ""}, late segment fetches ${p.stats.late}; ` +
        `CPU: load generator ${pct(p.loadGeneratorCpu)}, server ${pct(p.serverCpu)}${p.otherCpu === undefined ? "" : `, other mesh processes ${pct(p.otherCpu)}`}`,
    );
    printErrors(label, p.stats);
  }
}

function printErrors(label: string, stats: RouteStats): void {
  const distinct = new Map<string, number>();
  for (const e of stats.errors) distinct.set(`${e.route}: ${e.what}`, (distinct.get(`${e.route}: ${e.what}`) ?? 0) + 1);
  for (const [what, n] of [...distinct].slice(0, 20)) console.log(`  ${label} error ×${n}: ${what}`);
}

function printSaturation(label: string, r: SaturationResult): void {
  console.log(
    `${label.padEnd(6)} ${r.requestsPerSecond.toFixed(0).padStart(6)} segments/s, ${mb(r.segmentBytesPerSecond)} (wrk Transfer/sec ${mb(r.wrkBytesPerSecond)}), ` +
      `p50 ${r.p50Ms.toFixed(1)} ms, p99 ${r.p99Ms.toFixed(1)} ms, errors ${r.errors}; CPU: server ${pct(r.serverCpu)}`,
  );
}

async function main(): Promise<void> {
  let mesh: MeshProcess | undefined;
  let nginx: Nginx | undefined;
  try {
    log(`starting the mesh (port offset ${config.portOffset})…`);
    mesh = await startBenchMesh(config.portOffset, {
      // Every viewer account is signed up from this one address.
      IDENTITY_SIGNUP_MAX_PER_IP: "100000",
      // The reference reads the same files from disk: keep the embedded (folder) object store.
      S3_ENDPOINT: "",
    });
    const fixture = await preparePlaybackFixture({ edgeUrl: mesh.edgeUrl, admin, viewers: config.viewers, clip: { width: 1920, height: 1080, seconds: config.clipSeconds }, log });
    const objectRoot = path.join(mesh.dataDir, "objects", "data");
    nginx = await startNginx(objectRoot);
    const segments = await readSegmentSet(objectRoot, fixture.masterKey);
    log(`segments: ${segments.keys.length} (every rung and the audio), mean ${(segments.meanBytes / 1e3).toFixed(0)} kB; nginx serves ${objectRoot} at ${nginx.url}`);

    const edgePort = Number(new URL(mesh.edgeUrl).port);
    const edgePids = await listeningPids(edgePort);
    const servicePids = (await Promise.all(SERVICE_NAMES.map((s) => listeningPids(SERVICE_PORTS[s] + config.portOffset)))).flat();
    const nginxPids = await listeningPids(nginx.port);

    const cores = os.cpus().length;
    let pacedErrors = 0;
    if (config.seconds > 0) {
      log(`\nplayback benchmark: ${config.viewers} viewers for ${config.seconds} s, progress every ${config.progressEverySeconds} s; node ${process.version}, ${cores} cores, load average ${os.loadavg()[0]!.toFixed(1)}`);
      const ours = await paced(meshTarget(mesh.edgeUrl, fixture.videoId, fixture.viewers), edgePids, servicePids);
      const ref = await paced(fileServerTarget(nginx.url, fixture.masterKey), nginxPids);
      printPaced(ours, ref);
      const pacedRatio = ours.stats.summary("segment").bytes / ours.elapsedSeconds / (ref.stats.summary("segment").bytes / ref.elapsedSeconds);
      log(`\nsegment bytes/s ours ÷ nginx: paced ${pacedRatio.toFixed(3)}`);
      pacedErrors = ours.stats.errors.length + ref.stats.errors.length;
    }

    const play = await fetch(`${mesh.edgeUrl}/api/v1/video/${fixture.videoId}/play`, { headers: { authorization: `Bearer ${fixture.viewers[0]!.token}`, "profile-id": fixture.viewers[0]!.profileId } });
    const signedBase = ((await play.json()) as { hlsManifestUrl: string }).hlsManifestUrl.replace(fixture.masterKey, "");
    const satOpts = { connections: config.saturationConnections, seconds: config.saturationSeconds };
    const ratios: number[] = [];
    let saturationErrors = 0;
    for (let round = 1; round <= config.saturationRounds; round++) {
      log(`\nsaturation ${round}/${config.saturationRounds}: wrk, ${config.saturationConnections} connections, ${config.saturationSeconds} s, round robin over the ${segments.keys.length} segments; load average ${os.loadavg()[0]!.toFixed(1)}`);
      const satOurs = await saturate(signedBase, segments, edgePids, satOpts);
      const satRef = await saturate(nginx.url, segments, nginxPids, satOpts);
      printSaturation("ours", satOurs);
      printSaturation("nginx", satRef);
      ratios.push(satOurs.segmentBytesPerSecond / satRef.segmentBytesPerSecond);
      log(`segment bytes/s ours ÷ nginx: saturation ${ratios.at(-1)!.toFixed(3)}`);
      saturationErrors += satOurs.errors + satRef.errors;
    }
    if (ratios.length > 1) {
      const sorted = [...ratios].sort((a, b) => a - b);
      log(`\nsaturation ratio: median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(3)} (${sorted.map((r) => r.toFixed(3)).join(", ")})`);
    }
    if (pacedErrors + saturationErrors > 0) process.exitCode = 1;
  } catch (err) {
    // What the mesh logged says why far more often than the failed request does.
    if (mesh !== undefined) console.error(`mesh output (last lines):\n${mesh.output().split("\n").slice(-40).join("\n")}`);
    throw err;
  } finally {
    await nginx?.stop();
    await mesh?.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
