import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

/**
 * SSIM (all planes) of an encoded rendition against the source scaled to the rendition's size with
 * a high-quality scaler, frame for frame.
 */
export async function ssimAgainstSource(rendition: string, source: string, size: { width: number; height: number }, ffmpeg = "ffmpeg"): Promise<number> {
  const graph = `[1:v]scale=${size.width}:${size.height}:flags=lanczos,setsar=1[ref];[0:v][ref]ssim`;
  const { stderr } = await run(ffmpeg, ["-hide_banner", "-nostdin", "-i", rendition, "-i", source, "-lavfi", graph, "-f", "null", "-"], {
    maxBuffer: 64 * 1024 * 1024,
  });
  const match = /SSIM .*All:([0-9.]+)/.exec(stderr);
  if (!match) throw new Error(`no SSIM in ffmpeg's output for ${rendition}`);
  return Number(match[1]);
}
