import path from "node:path";
import type { EncodePlan } from "./encode-plan.js";
import type { FfmpegCommandSpec } from "./ffmpeg-command.js";
import { buildFilterGraph } from "./filter-graph.js";
import { sourceInputOptions } from "./input-whitelist.js";
import type { VideoRendition } from "./ladder.js";

/** Where ffmpeg's dash muxer writes each representation; packaging renames them after the rendition. */
export const DASH_STREAM_DIR = "stream$RepresentationID$";
export const DASH_MANIFEST = "manifest.mpd";

/**
 * The single ffmpeg pass: decode once, encode every rung and every audio track into fMP4 (CMAF)
 * segments through the dash muxer, which also lists each stream's segments in an HLS media
 * playlist. (One output only: ffmpeg prints no progress until every output has its first frame.)
 */
export function buildEncodeCommand(plan: EncodePlan, workDir: string): FfmpegCommandSpec {
  const { graph, labels } = buildFilterGraph(plan);
  const streamCount = plan.renditions.length + plan.audio.length;
  return {
    inputs: [{ path: plan.sourcePath, options: ["-hide_banner", "-nostdin", "-v", "error", "-stats", ...sourceInputOptions()] }],
    filterComplex: graph,
    directories: Array.from({ length: streamCount }, (_, i) => path.join(workDir, DASH_STREAM_DIR.replace("$RepresentationID$", String(i)))),
    outputs: [{ path: path.join(workDir, DASH_MANIFEST), options: dashOutputOptions(plan, labels) }],
  };
}

function dashOutputOptions(plan: EncodePlan, renditionLabels: string[]): string[] {
  const videoCount = plan.renditions.length;
  // One set per stream: the muxer refuses rungs whose aspect ratios differ by a rounding pixel in
  // one set; packaging merges the video sets per codec afterwards.
  const adaptationSets = Array.from({ length: videoCount + plan.audio.length }, (_, id) => `id=${id},streams=${id}`).join(" ");
  return [
    ...renditionLabels.flatMap((label) => ["-map", `[${label}]`]),
    ...plan.audio.flatMap((a) => ["-map", `0:${a.sourceStreamIndex}`]),
    ...plan.renditions.flatMap((r, i) => videoEncoderOptions(r, `v:${i}`, plan)),
    ...keyframeOptions(plan.gopFrames),
    ...plan.audio.flatMap((a, j) => [
      ...audioEncoderOptions(`a:${j}`, a),
      // The MP4 stores ISO 639-2; the playlists get BCP 47.
      `-metadata:s:a:${j}`,
      `language=${a.isoLanguage}`,
    ]),
    "-f", "dash",
    "-seg_duration", plan.segmentSeconds.toFixed(6),
    "-use_template", "1",
    "-use_timeline", "1",
    "-dash_segment_type", "mp4",
    "-adaptation_sets", adaptationSets,
    "-init_seg_name", `${DASH_STREAM_DIR}/init.mp4`,
    "-media_seg_name", `${DASH_STREAM_DIR}/seg-$Number%05d$.m4s`,
    // Also writes master.m3u8, which packaging overwrites with a complete one.
    "-hls_playlist", "1",
  ];
}

/**
 * Encoder settings for one rung, `spec` being its stream specifier in the output ("v:0"). Shared
 * with the benchmark so every contender encodes with the same rate control.
 */
export function videoEncoderOptions(r: VideoRendition, spec: string, { preset, gopFrames }: { preset: string; gopFrames: number }): string[] {
  const gop = `keyint=${gopFrames}:min-keyint=${gopFrames}:scenecut=0:open-gop=0`;
  const rateControl = [`-b:${spec}`, String(r.bitrate), `-maxrate:${spec}`, String(r.maxrate), `-bufsize:${spec}`, String(r.bufsize)];
  if (r.codec === "h265") {
    return [
      `-c:${spec}`, "libx265", `-preset:${spec}`, preset, `-profile:${spec}`, "main",
      `-x265-params:${spec}`, `${gop}:log-level=error`,
      // Apple players want the parameter sets in the sample description (hvc1), not in-band (hev1).
      `-tag:${spec}`, "hvc1",
      ...rateControl,
    ];
  }
  return [`-c:${spec}`, "libx264", `-preset:${spec}`, preset, `-profile:${spec}`, "high", `-x264-params:${spec}`, gop, ...rateControl];
}

/**
 * A keyframe every `gopFrames` frames and nowhere else (no scene-cut keyframes), at the same
 * frame numbers in every rung, so segments cut at every other GOP line up across the ladder.
 */
export function keyframeOptions(gopFrames: number): string[] {
  return ["-g", String(gopFrames), "-keyint_min", String(gopFrames), "-sc_threshold", "0", "-force_key_frames", `expr:eq(mod(n,${gopFrames}),0)`];
}

export function audioEncoderOptions(spec: string, a: { bitrate: number; channels: number; sampleRate: number }): string[] {
  return [`-c:${spec}`, "aac", `-b:${spec}`, String(a.bitrate), `-ac:${spec}`, String(a.channels), `-ar:${spec}`, String(a.sampleRate)];
}
