import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { ffmpegPath } from "../../services/media/encoding/binaries.js";
import { planEncode } from "../../services/media/encoding/encode-plan.js";
import { encodeVideo } from "../../services/media/encoding/pipeline.js";
import { probeSource } from "../../services/media/encoding/probe.js";
import { perRungThenSegment, singleCommand, type LadderSettings } from "./contenders.js";
import { cpuSecondsWithChildren } from "./cpu-time.js";
import { makeBenchSource } from "./source.js";
import { ssimAgainstSource } from "./ssim.js";

/**
 * Encoding benchmark: one source, three ways to produce the same ladder, in one run.
 *   (a) our pipeline: encodeVideo (probe, one ffmpeg pass, packaging for HLS + DASH, artwork)
 *   (b) the seeds' §7.2.2 approach: one encode per rung to MP4, then one HLS segmentation pass per rung
 *   (c) the best single hand-written ffmpeg command for the same ladder (HLS fMP4 only, no artwork)
 * Same x264 preset, rate control, bitrates and GOP for all. Each contender's wall-clock time and
 * CPU time (its ffmpeg processes included) is measured; with several rounds the contenders take
 * turns and each keeps its best. Then the SSIM of each rung against the source, ours and (c)'s.
 *
 *   npm run build && node dist/tools/encode-bench/main.js
 * Env: ENCODE_BENCH_SECONDS (source length, default 60), ENCODE_BENCH_PRESET (default veryfast),
 *      ENCODE_BENCH_ROUNDS (default 1), ENCODE_BENCH_KEEP=1 to keep the work folder.
 */
const CONTENDERS = ["pipeline", "perRungThenSegment", "singleCommand"] as const;
type Contender = (typeof CONTENDERS)[number];

async function main(): Promise<void> {
  const seconds = Number(process.env.ENCODE_BENCH_SECONDS ?? 60);
  const preset = process.env.ENCODE_BENCH_PRESET ?? "veryfast";
  const rounds = Number(process.env.ENCODE_BENCH_ROUNDS ?? 1);
  const ffmpeg = ffmpegPath();
  const dir = await mkdtemp(path.join(tmpdir(), "encode-bench-"));
  const source = path.join(dir, "source.mp4");
  const log = (msg: string): void => console.error(`[encode-bench] ${msg}`);

  log(`generating a ${seconds} s 1080p30 source in ${dir}`);
  await makeBenchSource(source, seconds, ffmpeg);
  const plan = planEncode(source, await probeSource(source), { preset });
  const settings: LadderSettings = { renditions: plan.renditions, preset, gopFrames: plan.gopFrames, segmentSeconds: plan.segmentSeconds };
  log(`ladder: ${plan.renditions.map((r) => `${r.name} ${r.width}x${r.height} @${r.bitrate / 1e6} Mbps`).join(", ")}; x264 ${preset}`);

  const work: Record<Contender, (outDir: string) => Promise<unknown>> = {
    pipeline: (workDir) =>
      encodeVideo({
        sourcePath: source,
        workDir,
        preset,
        ffmpegPath: ffmpeg,
        logger: { info: (o, m) => m === "encoding done" && log(`  pipeline stages (ms): ${JSON.stringify(o)}`), warn: () => {} },
      }),
    perRungThenSegment: (outDir) => perRungThenSegment(source, outDir, settings, ffmpeg),
    singleCommand: (outDir) => singleCommand(source, outDir, settings, ffmpeg),
  };
  const best = Object.fromEntries(CONTENDERS.map((c) => [c, { wall: Infinity, cpu: Infinity }])) as Record<Contender, { wall: number; cpu: number }>;
  for (let round = 1; round <= rounds; round++) {
    for (const contender of CONTENDERS) {
      const outDir = path.join(dir, contender);
      await rm(outDir, { recursive: true, force: true });
      await mkdir(outDir, { recursive: true });
      const [wall0, cpu0] = [performance.now(), cpuSecondsWithChildren()];
      await work[contender](outDir);
      const wall = (performance.now() - wall0) / 1000;
      const cpu = cpuSecondsWithChildren() - cpu0;
      log(`round ${round} ${contender}: ${wall.toFixed(1)} s wall, ${cpu.toFixed(1)} s CPU`);
      best[contender] = { wall: Math.min(best[contender].wall, wall), cpu: Math.min(best[contender].cpu, cpu) };
    }
  }

  log("measuring SSIM");
  const ssim = [];
  for (const [i, r] of plan.renditions.entries()) {
    ssim.push({
      rung: r.name,
      pipeline: round(await ssimAgainstSource(path.join(dir, "pipeline", r.name, "index.m3u8"), source, r, ffmpeg), 4),
      singleCommand: round(await ssimAgainstSource(path.join(dir, "singleCommand", String(i), "index.m3u8"), source, r, ffmpeg), 4),
    });
  }

  const ratio = (a: Contender, b: Contender, metric: "wall" | "cpu"): number => round(best[a][metric] / best[b][metric], 3);
  const report = {
    sourceSeconds: seconds,
    preset,
    rounds,
    ffmpeg,
    seconds: Object.fromEntries(CONTENDERS.map((c) => [c, { wall: round(best[c].wall), cpu: round(best[c].cpu) }])),
    oursOverPerRung: { wall: ratio("pipeline", "perRungThenSegment", "wall"), cpu: ratio("pipeline", "perRungThenSegment", "cpu"), target: 0.75 },
    oursOverSingleCommand: { wall: ratio("pipeline", "singleCommand", "wall"), cpu: ratio("pipeline", "singleCommand", "cpu"), target: 1.1 },
    ssim,
  };
  console.log(JSON.stringify(report, null, 2));
  if (process.env.ENCODE_BENCH_KEEP !== "1") await rm(dir, { recursive: true, force: true });
}

function round(n: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
