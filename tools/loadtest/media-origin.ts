import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { generateAuthKeyPair } from "../../platform/auth/tokens.js";
import { waitAlive } from "../../platform/launcher/wait-healthy.js";
import { signMediaToken } from "../../platform/media/media-token.js";
import { createFsObjectStore } from "../../platform/storage/objects-fs.js";
import { startNginx, type Nginx } from "./nginx.js";
import { listeningPids } from "./process-cpu.js";
import { readSegmentSet, saturate, type SaturationResult } from "./segment-saturation.js";

/**
 * The saturation phase of `bench:playback` without the mesh: the real edge process (its media
 * origin over the embedded object store) and Debian's nginx serving the same folder, wrk fetching
 * every segment of a job in turn as fast as each answers, alternating for several rounds. The job
 * has the playback benchmark's shape (4 video rungs and an audio track, 6 segments each, 1.56 MB
 * on average) filled with random bytes: the origin never looks inside a segment. Starts in
 * seconds where the mesh needs a minute and an encode, so it suits profiling
 * (`MEDIA_BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof"`, node options for the edges).
 *
 *   npm run build && node dist/tools/loadtest/media-origin.js
 *     (env: MEDIA_BENCH_ROUNDS=5 MEDIA_BENCH_SECONDS=10 MEDIA_BENCH_CONNECTIONS=64
 *      MEDIA_BENCH_PORT=18180 MEDIA_BENCH_BASELINE_DIST=<another checkout>/dist;
 *      EDGE_MEDIA_CACHE_BYTES passes through to the edge)
 */
const config = {
  rounds: Number(process.env.MEDIA_BENCH_ROUNDS ?? 5),
  seconds: Number(process.env.MEDIA_BENCH_SECONDS ?? 10),
  connections: Number(process.env.MEDIA_BENCH_CONNECTIONS ?? 64),
  port: Number(process.env.MEDIA_BENCH_PORT ?? 18_180),
  /** Another build's dist/ (say, of main) whose edge is measured in the same rounds, on the next port. */
  baselineDist: process.env.MEDIA_BENCH_BASELINE_DIST,
};
const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.resolve(here, "../..");

/** Mean segment size per playlist (bytes), close to what the worker makes of the playback benchmark's 1080p clip. */
const RUNGS = [
  ["360p", 500_000],
  ["480p", 1_000_000],
  ["720p", 2_000_000],
  ["1080p", 4_200_000],
  ["audio/en", 100_000],
] as const;
const SEGMENTS_PER_RUNG = 6;

async function writeJob(root: string): Promise<{ videoId: string; masterKey: string }> {
  const objects = await createFsObjectStore({ root });
  const videoId = randomUUID();
  const folder = `videos/${videoId}/job-1/`;
  let master = "#EXTM3U\n#EXT-X-VERSION:7\n";
  for (const [rung, bytes] of RUNGS) {
    let media = `#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:4\n#EXT-X-MAP:URI="init.mp4"\n`;
    await objects.put(`${folder}${rung}/init.mp4`, randomBytes(1_000), "video/mp4");
    for (let i = 1; i <= SEGMENTS_PER_RUNG; i++) {
      const name = `seg-${String(i).padStart(5, "0")}.m4s`;
      // ±20% around the rung's mean, as real segments vary with the picture.
      const size = Math.round(bytes * (0.8 + (0.4 * (i - 1)) / (SEGMENTS_PER_RUNG - 1)));
      await objects.put(`${folder}${rung}/${name}`, randomBytes(size), "video/iso.segment");
      media += `#EXTINF:4.000,\n${name}\n`;
    }
    await objects.put(`${folder}${rung}/index.m3u8`, Buffer.from(`${media}#EXT-X-ENDLIST\n`), "application/vnd.apple.mpegurl");
    master += rung.startsWith("audio")
      ? `#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aac",NAME="en",DEFAULT=YES,URI="${rung}/index.m3u8"\n`
      : `#EXT-X-STREAM-INF:BANDWIDTH=${bytes * 2},AUDIO="aac"\n${rung}/index.m3u8\n`;
  }
  await objects.put(`${folder}master.m3u8`, Buffer.from(master), "application/vnd.apple.mpegurl");
  return { videoId, masterKey: `${folder}master.m3u8` };
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB/s`;
const line = (label: string, r: SaturationResult) =>
  `${label.padEnd(9)} ${r.requestsPerSecond.toFixed(0).padStart(6)} segments/s ${mb(r.segmentBytesPerSecond).padStart(10)}  p50 ${r.p50Ms.toFixed(1)} ms  p99 ${r.p99Ms.toFixed(1)} ms  errors ${r.errors}  CPU ${(r.serverCpu * 100).toFixed(0)}% (${mb(r.segmentBytesPerSecond / r.serverCpu).replace("/s", " per CPU-second")})`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const spread = (xs: number[]) => `median ${median(xs).toFixed(3)} (${[...xs].sort((a, b) => a - b).map((x) => x.toFixed(3)).join(", ")})`;

interface Server {
  label: string;
  base: string;
  pids: number[];
}

/** The edge's compiled entry under `distDir`, on `port`, serving the objects under `dataDir`. */
async function startEdge(distDir: string, port: number, dataDir: string, signingKey: Buffer, authPublicKeyPem: string, children: ChildProcess[]): Promise<string> {
  const nodeArgs = (process.env.MEDIA_BENCH_NODE_ARGS ?? "").split(" ").filter(Boolean);
  const edge = spawn(process.execPath, [...nodeArgs, path.join(distDir, "edge-gateway/main.js")], {
    cwd: path.dirname(distDir),
    env: {
      ...process.env,
      CINEMESH_DATA_DIR: dataDir,
      S3_ENDPOINT: "",
      MEDIA_SIGNING_KEY: signingKey.toString("base64"),
      AUTH_PUBLIC_KEY: authPublicKeyPem,
      EDGE_PORT: String(port),
      EDGE_OPERATOR_PORT: "0",
      LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "inherit", "inherit"],
  });
  children.push(edge);
  const url = `http://127.0.0.1:${port}`;
  // No service runs behind this edge: it is alive, never ready.
  await waitAlive(url, Date.now() + 60_000);
  return url;
}

async function main(): Promise<void> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "media-bench-"));
  const children: ChildProcess[] = [];
  let nginx: Nginx | undefined;
  try {
    // mkdtemp makes a private folder; nginx's workers (not root) must get in.
    await chmod(dataDir, 0o755);
    const objectRoot = path.join(dataDir, "objects");
    const { videoId, masterKey } = await writeJob(objectRoot);
    const signingKey = randomBytes(32);
    const authPublicKeyPem = (await generateAuthKeyPair()).publicKeyPem;
    const token = signMediaToken(signingKey, { prefix: `videos/${videoId}/`, expiresAt: Math.floor(Date.now() / 1000) + 3600, maxShortSide: 100_000, sessionId: "bench" });
    const edges: [string, string][] = [["ours", dist]];
    if (config.baselineDist) edges.push(["baseline", path.resolve(config.baselineDist)]);
    const servers: Server[] = [];
    for (const [i, [label, distDir]] of edges.entries()) {
      const url = await startEdge(distDir, config.port + i, dataDir, signingKey, authPublicKeyPem, children);
      servers.push({ label, base: `${url}/media/${token}/`, pids: await listeningPids(config.port + i) });
    }
    nginx = await startNginx(path.join(objectRoot, "data"));
    servers.push({ label: "nginx", base: nginx.url, pids: await listeningPids(nginx.port) });
    const segments = await readSegmentSet(path.join(objectRoot, "data"), masterKey);
    console.log(`media origin benchmark: ${segments.keys.length} segments, mean ${(segments.meanBytes / 1e6).toFixed(2)} MB; wrk ${config.connections} connections, ${config.seconds} s × ${config.rounds} rounds; node ${process.version}, ${os.cpus().length} cores`);

    const ratios = new Map<string, { bytes: number[]; perCpu: number[] }>(servers.slice(0, -1).map((s) => [s.label, { bytes: [], perCpu: [] }]));
    let errors = 0;
    for (let round = 1; round <= config.rounds; round++) {
      console.log(`\nround ${round} (load average ${os.loadavg()[0]!.toFixed(1)})`);
      const results: SaturationResult[] = [];
      for (const server of servers) {
        const r = await saturate(server.base, segments, server.pids, config);
        console.log(line(server.label, r));
        results.push(r);
        errors += r.errors;
      }
      const ref = results.at(-1)!;
      for (const [i, s] of servers.slice(0, -1).entries()) {
        const r = results[i]!;
        ratios.get(s.label)!.bytes.push(r.segmentBytesPerSecond / ref.segmentBytesPerSecond);
        ratios.get(s.label)!.perCpu.push(r.segmentBytesPerSecond / r.serverCpu / (ref.segmentBytesPerSecond / ref.serverCpu));
      }
    }
    console.log(`\nload average at the end ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}`);
    for (const [label, r] of ratios) {
      console.log(`${label}: segment bytes/s ÷ nginx ${spread(r.bytes)}`);
      // On a shared machine each server gets what the neighbours leave: bytes per CPU-second moves less.
      console.log(`${label}: segment bytes per CPU-second ÷ nginx ${spread(r.perCpu)}`);
    }
    if (errors > 0) process.exitCode = 1;
  } finally {
    for (const child of children) {
      if (child.exitCode !== null) continue;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    }
    await nginx?.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
