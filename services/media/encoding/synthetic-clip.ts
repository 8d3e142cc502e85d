import { execFile } from "node:child_process";
import { rm } from "node:fs/promises";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface ClipSpec {
  width: number;
  height: number;
  seconds: number;
  /** Nominal rate, a number or ffmpeg's rational ("30000/1001"); default 25. */
  fps?: number | string;
  /** One sine tone per audio track, each with its ISO 639-2 language. */
  audio?: { language?: string; frequency?: number; title?: string }[];
  /** Audio sample rate (default 48 kHz; phones and cameras often write 44.1 kHz). */
  sampleRate?: number;
  /** Display-matrix rotation written into the MP4 (the pixels stay as encoded). */
  rotate?: number;
  /** "testsrc2" moves a little; "mandelbrot" is busy everywhere. */
  pattern?: "testsrc2" | "mandelbrot";
  /**
   * Like a camera under load: drop one frame in `dropOneIn`, keeping every other frame's timestamp
   * (a gap where it was), so ffprobe's avg_frame_rate falls below the nominal r_frame_rate.
   */
  dropOneIn?: number;
  /** Like a phone's variable-rate clock: move every other frame's timestamp this much later. */
  jitterMs?: number;
}

/** Makes a short H.264/AAC MP4 from ffmpeg's synthetic sources, for tests that need a real file. */
export async function makeClip(path: string, spec: ClipSpec, ffmpeg = "ffmpeg"): Promise<void> {
  const { width, height, seconds, fps = 25, audio = [], pattern = "testsrc2", sampleRate = 48_000 } = spec;
  const size = `${width}x${height}`;
  const args = ["-hide_banner", "-v", "error", "-y", "-f", "lavfi", "-i", `${pattern}=size=${size}:rate=${fps}`];
  audio.forEach((a, i) => args.push("-f", "lavfi", "-i", `sine=frequency=${a.frequency ?? 440 + 220 * i}:sample_rate=${sampleRate}`));
  args.push("-t", String(seconds), "-map", "0:v");
  audio.forEach((_, i) => args.push("-map", `${i + 1}:a`));
  args.push(...cameraTiming(spec));
  args.push("-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "96k", "-ac", "2");
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

/** Filters and muxer settings that make the timestamps irregular, as camera files have them. */
function cameraTiming({ dropOneIn, jitterMs }: ClipSpec): string[] {
  const filters: string[] = [];
  if (dropOneIn) filters.push(`select='not(eq(mod(n\\,${dropOneIn})\\,${Math.floor(dropOneIn / 2)}))'`);
  if (jitterMs) filters.push(`setpts='PTS+if(mod(N\\,2)\\,${jitterMs / 1000}/TB\\,0)'`);
  if (filters.length === 0) return [];
  // Passthrough keeps the gaps and the jitter (the default would re-time the frames to a constant
  // rate); a 90 kHz track timescale can hold the jittered times.
  return ["-vf", filters.join(","), "-fps_mode", "passthrough", "-video_track_timescale", "90000"];
}
