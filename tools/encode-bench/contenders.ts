import { spawn } from "node:child_process";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { audioEncoderOptions, keyframeOptions, videoEncoderOptions } from "../../services/media/encoding/encode-command.js";
import type { VideoRendition } from "../../services/media/encoding/ladder.js";

/** Encoder settings every contender shares, so only the structure of the work differs. */
export interface LadderSettings {
  renditions: VideoRendition[];
  preset: string;
  gopFrames: number;
  segmentSeconds: number;
}

const AUDIO = { bitrate: 128_000, channels: 2, sampleRate: 48_000 };

/**
 * (b) The seeds' §7.2.2 approach: for each rung, one ffmpeg encode of the source to an MP4 (video
 * and audio), then a separate pass segmenting that MP4 for HLS. Rungs one after another.
 */
export async function perRungThenSegment(source: string, outDir: string, s: LadderSettings, ffmpeg = "ffmpeg"): Promise<void> {
  for (const r of s.renditions) {
    const mp4 = path.join(outDir, `${r.name}.mp4`);
    const hlsDir = path.join(outDir, r.name);
    await mkdir(hlsDir, { recursive: true });
    await runFfmpeg(ffmpeg, [
      "-i", source,
      "-vf", `scale=${r.width}:${r.height},setsar=1`,
      ...videoEncoderOptions(r, "v:0", s),
      ...keyframeOptions(s.gopFrames),
      ...audioEncoderOptions("a:0", AUDIO),
      "-movflags", "+faststart",
      mp4,
    ]);
    await runFfmpeg(ffmpeg, [
      "-i", mp4, "-c", "copy",
      "-hls_time", String(s.segmentSeconds), "-hls_playlist_type", "vod",
      "-hls_segment_filename", path.join(hlsDir, "segment_%03d.ts"),
      path.join(hlsDir, "playlist.m3u8"),
    ]);
  }
}

/**
 * (c) The best single hand-written command for the same ladder: decode once, split to every
 * rung's scaler, one audio encode, and ffmpeg's HLS muxer writing fMP4 segments and the master.
 */
export function singleCommandArgs(source: string, outDir: string, s: LadderSettings): string[] {
  const n = s.renditions.length;
  const graph = [
    `[0:v]split=${n}${s.renditions.map((_, i) => `[s${i}]`).join("")}`,
    ...s.renditions.map((r, i) => `[s${i}]scale=${r.width}:${r.height},setsar=1[v${i}]`),
  ].join(";");
  return [
    "-i", source,
    "-filter_complex", graph,
    ...s.renditions.flatMap((_, i) => ["-map", `[v${i}]`]),
    "-map", "0:a:0",
    ...s.renditions.flatMap((r, i) => videoEncoderOptions(r, `v:${i}`, s)),
    ...keyframeOptions(s.gopFrames),
    ...audioEncoderOptions("a:0", AUDIO),
    "-f", "hls", "-hls_time", String(s.segmentSeconds), "-hls_playlist_type", "vod", "-hls_segment_type", "fmp4",
    "-var_stream_map", [...s.renditions.map((_, i) => `v:${i},agroup:aud`), "a:0,agroup:aud"].join(" "),
    "-master_pl_name", "master.m3u8",
    "-hls_segment_filename", path.join(outDir, "%v", "seg_%03d.m4s"),
    path.join(outDir, "%v", "index.m3u8"),
  ];
}

export async function singleCommand(source: string, outDir: string, s: LadderSettings, ffmpeg = "ffmpeg"): Promise<void> {
  await runFfmpeg(ffmpeg, singleCommandArgs(source, outDir, s));
}

export function runFfmpeg(ffmpeg: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(ffmpeg, ["-hide_banner", "-nostdin", "-v", "error", "-y", ...args], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg exited with ${code}: ${stderr.trim().split("\n").slice(-5).join("\n")}`))));
  });
}
