import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

/**
 * A 1080p30 source that moves like camera footage: a continuously zooming fractal (global motion
 * with fine detail), temporal grain like a sensor's, and a test card crossing the frame (local
 * motion), with a stereo tone. Stored near-losslessly, as a mezzanine file would be.
 */
export async function makeBenchSource(path: string, seconds: number, ffmpeg = "ffmpeg"): Promise<void> {
  const graph = [
    "mandelbrot=size=960x540:rate=30,scale=1920:1080:flags=bicubic,noise=alls=6:allf=t+u[bg]",
    "testsrc2=size=480x270:rate=30[card]",
    "[bg][card]overlay=x='mod(t*180,1920-480)':y='(1080-270)/2+300*sin(t*0.8)':shortest=1,format=yuv420p[v]",
  ].join(";");
  await run(ffmpeg, [
    "-hide_banner", "-v", "error", "-y",
    "-f", "lavfi", "-i", `sine=frequency=330:sample_rate=48000`,
    "-filter_complex", `${graph};[0:a]aformat=channel_layouts=stereo[a]`,
    "-map", "[v]", "-map", "[a]", "-t", String(seconds),
    "-c:v", "libx264", "-preset", "ultrafast", "-crf", "16", "-g", "30",
    "-c:a", "aac", "-b:a", "256k",
    path,
  ]);
}
