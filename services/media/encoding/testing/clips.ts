import { execFile } from "node:child_process";
import { rm } from "node:fs/promises";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface ClipSpec {
  width: number;
  height: number;
  seconds: number;
  fps?: number;
  /** One sine tone per audio track, each with its ISO 639-2 language. */
  audio?: { language?: string; frequency?: number; title?: string }[];
  /** Display-matrix rotation written into the MP4 (the pixels stay as encoded). */
  rotate?: number;
  /** "testsrc2" moves a little; "mandelbrot" is busy everywhere. */
  pattern?: "testsrc2" | "mandelbrot";
}

/** Makes a short H.264/AAC MP4 from ffmpeg's synthetic sources, for tests that need a real file. */
export async function makeClip(path: string, spec: ClipSpec, ffmpeg = "ffmpeg"): Promise<void> {
  const { width, height, seconds, fps = 25, audio = [], pattern = "testsrc2" } = spec;
  const size = `${width}x${height}`;
  const args = ["-hide_banner", "-v", "error", "-y", "-f", "lavfi", "-i", `${pattern}=size=${size}:rate=${fps}`];
  audio.forEach((a, i) => args.push("-f", "lavfi", "-i", `sine=frequency=${a.frequency ?? 440 + 220 * i}:sample_rate=48000`));
  args.push("-t", String(seconds), "-map", "0:v");
  audio.forEach((_, i) => args.push("-map", `${i + 1}:a`));
  args.push("-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "96k");
  audio.forEach((a, i) => {
    if (a.language) args.push(`-metadata:s:a:${i}`, `language=${a.language}`);
    if (a.title) args.push(`-metadata:s:a:${i}`, `title=${a.title}`);
  });
  if (spec.rotate === undefined) {
    await run(ffmpeg, [...args, path]);
    return;
  }
  // ffmpeg 5.1 writes the rotate tag as a display matrix only when stream-copying.
  const unrotated = `${path}.unrotated.mp4`;
  await run(ffmpeg, [...args, unrotated]);
  await run(ffmpeg, ["-hide_banner", "-v", "error", "-y", "-i", unrotated, "-map", "0", "-c", "copy", "-metadata:s:v:0", `rotate=${spec.rotate}`, path]);
  await rm(unrotated);
}
