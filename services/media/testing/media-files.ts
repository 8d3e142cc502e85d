import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { promisify } from "node:util";

const run = promisify(execFile);

/** A short H.264/AAC MP4 from ffmpeg's synthetic sources (lavfi), made at test time. */
export async function makeVideo(path: string, opts: { width?: number; height?: number; seconds?: number } = {}): Promise<void> {
  const { width = 320, height = 180, seconds = 1 } = opts;
  await run("ffmpeg", [
    "-hide_banner", "-v", "error", "-y",
    "-f", "lavfi", "-i", `testsrc2=size=${width}x${height}:rate=25`,
    "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
    "-t", String(seconds),
    "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
    "-c:a", "aac", "-b:a", "64k",
    "-movflags", "+faststart",
    path,
  ]);
}

/** Bytes that are no media at all, with a video-ish name. */
export async function makeGarbage(path: string, bytes = 64 * 1024): Promise<void> {
  await writeFile(path, randomBytes(bytes));
}
