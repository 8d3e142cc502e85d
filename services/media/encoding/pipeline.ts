import path from "node:path";
import { performance } from "node:perf_hooks";
import type { RenditionFiles } from "./artwork-command.js";
import { makeArtwork, type Artwork } from "./artwork.js";
import { ffmpegPath as defaultFfmpegPath, ffprobePath as defaultFfprobePath } from "./binaries.js";
import { buildEncodeCommand } from "./encode-command.js";
import { planEncode, type EncodePlan, type PlanOptions } from "./encode-plan.js";
import { silentLogger, type EncodingLogger } from "./logger.js";
import { packageOutputs, type Packaged } from "./packaging.js";
import { probeSource } from "./probe.js";
import { createProgressReporter, type RenditionProgress } from "./progress.js";
import { rationalValue } from "./rational.js";
import { runFfmpeg } from "./runner.js";
import type { SourceInfo } from "./source-info.js";
import { storeSubtitles, type StoredSubtitle, type SubtitleUpload } from "./subtitles.js";

export { probeSource, type ProbeOptions } from "./probe.js";
export type { SourceInfo } from "./source-info.js";
export type { RenditionProgress, RenditionState, RenditionKind } from "./progress.js";
export { InvalidMediaError, InvalidSubtitleError, EncodingFailedError, type InvalidMediaReason } from "./errors.js";

export interface EncodeRequest {
  /** Local file: the original, downloaded from object storage. */
  sourcePath: string;
  /** Empty local folder for the outputs; the caller uploads it afterwards. */
  workDir: string;
  subtitles?: SubtitleUpload[];
  /** Aborting kills ffmpeg; encodeVideo then rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Throttled to at most 4 calls a second per rendition; state changes always come through. */
  onProgress?: (p: RenditionProgress) => void;
  logger?: EncodingLogger;
  ffmpegPath?: string;
  ffprobePath?: string;
  /** x264/x265 preset for every rung (default "veryfast"). */
  preset?: PlanOptions["preset"];
  /** The probe is killed and the source refused after this long (default 30 s). */
  probeTimeoutMs?: number;
}

export interface EncodeResult {
  durationSeconds: number;
  renditions: {
    name: string;
    width: number;
    height: number;
    /** Measured peak bits per second of the video (what HLS BANDWIDTH is built from). */
    bitrate: number;
    /** Measured average bits per second of the video. */
    averageBitrate: number;
    /** The ladder's target average. */
    targetBitrate: number;
    /** RFC 6381, e.g. avc1.640028 or hvc1.1.6.L150.90. */
    codec: string;
    frameRate: number;
    /** Media playlist, relative to workDir; the rung's init and fMP4 segments sit beside it. */
    playlist: string;
    sizeBytes: number;
  }[];
  audioTracks: {
    name: string;
    /** BCP 47 ("en"), "und" when the source did not say. */
    language: string;
    label: string;
    channels: number;
    codec: string;
    /** Measured average bits per second. */
    bitrate: number;
    isDefault: boolean;
    playlist: string;
    sizeBytes: number;
  }[];
  subtitles: { language: string; label: string; path: string; playlist: string }[];
  /** Relative paths inside workDir. */
  hlsMaster: string;
  dashManifest: string;
  thumbnails: string[];
  trickplay: { sprite: string; vtt: string; intervalSeconds: number };
  preview: string;
  segmentSeconds: number;
  source: SourceInfo;
}

/**
 * Probes the source (rejecting what is not playable), stores the subtitles as WebVTT, encodes the
 * ladder and every audio track in one ffmpeg pass, packages the segments for HLS and DASH, then
 * draws the thumbnails, trickplay sprite and preview from the encoded rungs.
 */
export async function encodeVideo(req: EncodeRequest): Promise<EncodeResult> {
  const { workDir, signal, logger = silentLogger } = req;
  const run = { ffmpegPath: req.ffmpegPath ?? defaultFfmpegPath(), ffprobePath: req.ffprobePath ?? defaultFfprobePath(), signal, logger };
  const clock = stageClock();
  const source = await probeSource(req.sourcePath, { ffprobePath: run.ffprobePath, signal, timeoutMs: req.probeTimeoutMs });
  const probeMs = clock();
  const plan = planEncode(req.sourcePath, source, { preset: req.preset });
  logger.info(
    { renditions: plan.renditions.map((r) => `${r.name} ${r.width}x${r.height}`), audio: plan.audio.map((a) => a.name), gopFrames: plan.gopFrames, segmentSeconds: plan.segmentSeconds },
    "encoding plan",
  );
  const uploads = req.subtitles ?? [];
  const streams = [...plan.renditions.map((r) => ({ name: r.name, kind: "video" as const })), ...plan.audio.map((a) => ({ name: a.name, kind: "audio" as const }))];
  const streamNames = streams.map((s) => s.name);
  const progress = createProgressReporter({
    renditions: [...streams, { name: "artwork", kind: "artwork" }, ...(uploads.length > 0 ? [{ name: "subtitles", kind: "subtitles" as const }] : [])],
    durationSeconds: plan.durationSeconds,
    onProgress: req.onProgress,
  });
  const fps = rationalValue(plan.frameRate);
  try {
    // First, because they are quick and a bad file should fail before the long pass.
    let subtitles: StoredSubtitle[] = [];
    if (uploads.length > 0) {
      progress.setState(["subtitles"], "encoding");
      subtitles = await storeSubtitles(uploads, workDir, plan.durationSeconds, run);
      progress.setState(["subtitles"], "done");
    }

    progress.setState(streamNames, "encoding");
    await runFfmpeg(buildEncodeCommand(plan, workDir), { ...run, description: "encoding failed", onTick: (t) => progress.encoded(t.frames / fps, streamNames) });
    const encodeMs = clock();
    progress.setState(streamNames, "packaging");
    const packaged = await packageOutputs(plan, workDir, subtitles);
    progress.setState(streamNames, "done");

    progress.setState(["artwork"], "encoding");
    const artwork = await makeArtwork(plan.artwork, workDir, plan.durationSeconds, (name) => renditionFiles(workDir, packaged, name), run);
    progress.setState(["artwork"], "done");
    logger.info({ probeMs, encodeMs, packageAndArtworkMs: clock() }, "encoding done");
    return toEncodeResult(plan, source, packaged, subtitles, artwork);
  } catch (err) {
    progress.failUnfinished();
    throw err;
  }
}

function toEncodeResult(plan: EncodePlan, source: SourceInfo, packaged: Packaged, subtitles: StoredSubtitle[], artwork: Artwork): EncodeResult {
  return {
    durationSeconds: plan.durationSeconds,
    renditions: packaged.video.map((v) => ({
      name: v.name,
      width: v.rendition.width,
      height: v.rendition.height,
      bitrate: v.bitrate.peak,
      averageBitrate: v.bitrate.average,
      targetBitrate: v.rendition.bitrate,
      codec: v.codec,
      frameRate: rationalValue(plan.frameRate),
      playlist: v.playlist,
      sizeBytes: v.sizeBytes,
    })),
    audioTracks: packaged.audio.map((a, j) => ({
      name: a.name,
      language: a.rendition.language,
      label: a.rendition.label,
      channels: a.rendition.channels,
      codec: a.codec,
      bitrate: a.bitrate.average,
      isDefault: j === 0,
      playlist: a.playlist,
      sizeBytes: a.sizeBytes,
    })),
    subtitles,
    hlsMaster: packaged.hlsMaster,
    dashManifest: packaged.dashManifest,
    ...artwork,
    segmentSeconds: plan.segmentSeconds,
    source,
  };
}

function renditionFiles(workDir: string, packaged: Packaged, name: string): RenditionFiles {
  const video = packaged.video.find((v) => v.name === name);
  if (!video) throw new Error(`no rendition ${name}`);
  const playlist = path.join(workDir, video.playlist);
  return { playlist, init: path.join(path.dirname(playlist), "init.mp4"), segments: video.segments };
}

/** Milliseconds since the previous call (or since creation). */
function stageClock(): () => number {
  let last = performance.now();
  return () => {
    const now = performance.now();
    const elapsed = Math.round(now - last);
    last = now;
    return elapsed;
  };
}
