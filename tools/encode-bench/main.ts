import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { ffmpegPath } from "../../services/media/encoding/binaries.js";
import { planEncode } from "../../services/media/encoding/encode-plan.js";
import { encodeVideo } from "../../services/media/encoding/pipeline.js";
import { probeSource } from "../../services/media/encoding/probe.js";
import { perRungThenSegment, singleCommand, type LadderSettings } from "./contenders.js";
import { makeBenchSource } from "./source.js";
import { ssimAgainstSource } from "./ssim.js";

/**
 * Encoding benchmark: one source, three ways to produce the same ladder, in one run.
 *   (a) our pipeline (encodeVideo: probe, one pass, packaging for HLS + DASH, artwork)
 *   (b) the seeds' §7.2.2 approach: one encode per rung to MP4, then one HLS segmentation pass per rung
 *   (c) the best single hand-written ffmpeg command for the same ladder (HLS fMP4 only)
 * Same x264 preset, rate control, bitrates and GOP for all. Reports wall-clock ratios and the SSIM
 * of each of our rungs (and of (c)'s) against the source.
 *
 *   npm run build && node dist/tools/encode-bench/main.js
 * Env: ENCODE_BENCH_SECONDS (source length, default 60), ENCODE_BENCH_PRESET (default veryfast),
 *      ENCODE_BENCH_KEEP=1 to keep the work folder.
 */
async function main(): Promise<void> {
  const seconds = Number(process.env.ENCODE_BENCH_SECONDS ?? 60);
  const preset = process.env.ENCODE_BENCH_PRESET ?? "veryfast";
  const ffmpeg = ffmpegPath();
  const dir = await mkdtemp(path.join(tmpdir(), "encode-bench-"));
  const source = path.join(dir, "source.mp4");
  const log = (msg: string): void => console.error(`[encode-bench] ${msg}`);

  log(`generating a ${seconds} s 1080p30 source in ${dir}`);
  await makeBenchSource(source, seconds, ffmpeg);
  const plan = planEncode(source, await probeSource(source), { preset });
  const settings: LadderSettings = { renditions: plan.renditions, preset, gopFrames: plan.gopFrames, segmentSeconds: plan.segmentSeconds };
  log(`ladder: ${plan.renditions.map((r) => `${r.name} ${r.width}x${r.height} @${r.bitrate / 1e6} Mbps`).join(", ")}; x264 ${preset}`);

  const timings: Record<string, number> = {};
  const timed = async (name: string, work: (outDir: string) => Promise<unknown>): Promise<string> => {
    const outDir = path.join(dir, name);
    await mkdir(outDir, { recursive: true });
    log(`running ${name}`);
    const start = performance.now();
    await work(outDir);
    timings[name] = (performance.now() - start) / 1000;
    log(`${name}: ${timings[name]!.toFixed(1)} s`);
    return outDir;
  };

  const ours = await timed("a-pipeline", (workDir) => encodeVideo({
      sourcePath: source,
      workDir,
      preset,
      ffmpegPath: ffmpeg,
      logger: { info: (o, m) => m === "encoding done" && log(`pipeline stages (ms): ${JSON.stringify(o)}`), warn: () => {} },
    }));
  await timed("b-per-rung", (outDir) => perRungThenSegment(source, outDir, settings, ffmpeg));
  const single = await timed("c-single-command", (outDir) => singleCommand(source, outDir, settings, ffmpeg));

  log("measuring SSIM");
  const ssim: { rung: string; ours: number; single: number }[] = [];
  for (const [i, r] of plan.renditions.entries()) {
    ssim.push({
      rung: r.name,
      ours: await ssimAgainstSource(path.join(ours, r.name, "index.m3u8"), source, r, ffmpeg),
      single: await ssimAgainstSource(path.join(single, String(i), "index.m3u8"), source, r, ffmpeg),
    });
  }

  const a = timings["a-pipeline"]!;
  const b = timings["b-per-rung"]!;
  const c = timings["c-single-command"]!;
  const report = {
    sourceSeconds: seconds,
    preset,
    ffmpeg,
    wallSeconds: { pipeline: round(a), perRungThenSegment: round(b), singleCommand: round(c) },
    ratios: { oursOverPerRung: round(a / b, 3), oursOverSingleCommand: round(a / c, 3) },
    targets: { oursOverPerRung: "<= 0.75", oursOverSingleCommand: "<= 1.10" },
    met: { oursOverPerRung: a / b <= 0.75, oursOverSingleCommand: a / c <= 1.1 },
    ssim: ssim.map((s) => ({ rung: s.rung, ours: round(s.ours, 4), singleCommand: round(s.single, 4) })),
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
