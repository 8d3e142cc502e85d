import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseHlsMaster, parseHlsMedia } from "./hls-playlists.js";
import { cpuSeconds } from "./process-cpu.js";
import { wrk } from "./wrk.js";

/** Every media segment of one encoded video (each rung and each audio track), read from the object folder. */
export interface SegmentSet {
  keys: string[];
  meanBytes: number;
}

export interface SaturationResult {
  requestsPerSecond: number;
  /** Requests/s × the mean segment size: wrk asks for each segment in turn. */
  segmentBytesPerSecond: number;
  wrkBytesPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  /** The server's CPU during the run, as a share of one core. */
  serverCpu: number;
}

export async function readSegmentSet(objectRoot: string, masterKey: string): Promise<SegmentSet> {
  const read = (key: string) => readFile(path.join(objectRoot, key), "utf8");
  const folder = path.posix.dirname(masterKey);
  const { variants, audio } = parseHlsMaster(await read(masterKey));
  const keys: string[] = [];
  for (const playlist of [...variants, ...audio]) {
    const media = parseHlsMedia(await read(path.posix.join(folder, playlist)));
    for (const s of media.segments) keys.push(path.posix.join(folder, path.posix.dirname(playlist), s.uri));
  }
  const sizes = await Promise.all(keys.map(async (k) => (await stat(path.join(objectRoot, k))).size));
  return { keys, meanBytes: sizes.reduce((a, b) => a + b, 0) / sizes.length };
}

const WARM_UP_SECONDS = 3;

/**
 * wrk (one thread, C, so the load generator costs little) fetching every segment of `segments` in
 * turn from `baseUrl` (which ends in `/`; the keys are relative to it) with `connections`
 * keep-alive connections, as fast as the server answers, after a short warm-up.
 */
export async function saturate(baseUrl: string, segments: SegmentSet, serverPids: number[], opts: { connections: number; seconds: number }): Promise<SaturationResult> {
  const dir = await mkdtemp(path.join(tmpdir(), "bench-wrk-"));
  try {
    const script = path.join(dir, "segments.lua");
    const paths = segments.keys.map((k) => new URL(k, baseUrl).pathname);
    await writeFile(
      script,
      `local paths = { ${paths.map((p) => JSON.stringify(p)).join(", ")} }\nlocal n = 0\nrequest = function()\n  n = n + 1\n  return wrk.format("GET", paths[(n % #paths) + 1])\nend\n`,
    );
    const origin = new URL(baseUrl).origin;
    await wrk(origin, { connections: opts.connections, seconds: WARM_UP_SECONDS, script });
    const cpu0 = cpuSeconds(serverPids);
    const r = await wrk(origin, { connections: opts.connections, seconds: opts.seconds, script });
    return {
      requestsPerSecond: r.requestsPerSecond,
      segmentBytesPerSecond: r.requestsPerSecond * segments.meanBytes,
      wrkBytesPerSecond: r.bytesPerSecond,
      p50Ms: r.p50Ms,
      p99Ms: r.p99Ms,
      errors: r.errors,
      serverCpu: (cpuSeconds(serverPids) - cpu0) / opts.seconds,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
