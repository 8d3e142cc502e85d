import { execFile } from "node:child_process";
import { stat } from "node:fs/promises";
import { ffprobePath as defaultFfprobePath } from "./binaries.js";
import { InvalidMediaError, abortReason } from "./errors.js";
import { interpretProbe, type FfprobeOutput, type SourceInfo } from "./source-info.js";

export interface ProbeOptions {
  ffprobePath?: string;
  signal?: AbortSignal;
}

/**
 * Reads a source with ffprobe and checks it is playable: a recognised format, a decodable video
 * stream, a first frame that decodes, and packets up to the duration the file announces (a
 * truncated upload whose index survived stops early). Rejects with InvalidMediaError otherwise.
 */
export async function probeSource(path: string, opts: ProbeOptions = {}): Promise<SourceInfo> {
  const ffprobe = opts.ffprobePath ?? defaultFfprobePath();
  const { size } = await stat(path);
  if (size === 0) throw new InvalidMediaError("not-media", "The file is empty.");
  const report = await runFfprobe(ffprobe, ["-show_format", "-show_streams", path], opts.signal).catch((err: unknown) => {
    throw classifyOpenFailure(err);
  });
  const info = interpretProbe(JSON.parse(report) as FfprobeOutput);
  const [firstFrame, lastPacketEnd] = await Promise.all([
    decodesFirstFrame(ffprobe, path, info.video.videoIndex, opts.signal),
    videoPacketsEnd(ffprobe, path, info.video.videoIndex, info.video.durationSeconds, opts.signal),
  ]);
  if (!firstFrame.ok) {
    throw new InvalidMediaError("corrupt", `The video cannot be decoded: ${firstFrame.detail || "no frame could be read"}.`);
  }
  const expectedEnd = info.video.durationSeconds;
  if (lastPacketEnd < expectedEnd - Math.max(2, expectedEnd * 0.05)) {
    throw new InvalidMediaError(
      "corrupt",
      `The file is incomplete: its video stops at ${lastPacketEnd.toFixed(1)} s although the file says it lasts ${expectedEnd.toFixed(1)} s (was the upload cut short?).`,
    );
  }
  return { ...info, sizeBytes: size };
}

/** An error from opening the file, in words for the uploader. */
function classifyOpenFailure(err: unknown): unknown {
  if (!(err instanceof FfprobeError)) return err;
  if (/moov atom not found/i.test(err.stderr)) {
    return new InvalidMediaError(
      "corrupt",
      "The file is damaged or incomplete: it looks like an MP4/MOV but its index (moov atom) is missing, as when an upload is cut short.",
      { cause: err },
    );
  }
  if (/Invalid data found when processing input|could not find codec parameters|Unknown format/i.test(err.stderr)) {
    return new InvalidMediaError("not-media", "The file is not a video: ffmpeg does not recognise it as audio or video.", { cause: err });
  }
  return new InvalidMediaError("corrupt", `The file cannot be read: ${lastLine(err.stderr) || err.message}.`, { cause: err });
}

async function decodesFirstFrame(
  ffprobe: string,
  path: string,
  videoIndex: number,
  signal: AbortSignal | undefined,
): Promise<{ ok: boolean; detail: string }> {
  try {
    const out = await runFfprobe(
      ffprobe,
      ["-select_streams", `v:${videoIndex}`, "-read_intervals", "%+#1", "-show_frames", "-show_entries", "frame=pts_time", path],
      signal,
    );
    const frames = (JSON.parse(out) as { frames?: unknown[] }).frames ?? [];
    return { ok: frames.length > 0, detail: "" };
  } catch (err) {
    if (err instanceof FfprobeError) return { ok: false, detail: lastLine(err.stderr) };
    throw err;
  }
}

/**
 * Where the video's packets really end, read from a few seconds before the announced end (the
 * demuxer seeks to the keyframe before that, so this reads about one GOP, not the file). The
 * interval has an explicit end: newer ffprobe builds return nothing for an open-ended one.
 */
async function videoPacketsEnd(
  ffprobe: string,
  path: string,
  videoIndex: number,
  durationSeconds: number,
  signal: AbortSignal | undefined,
): Promise<number> {
  const from = Math.max(0, durationSeconds - 5);
  let out: string;
  try {
    out = await runFfprobe(
      ffprobe,
      // An absolute end: ffprobe seeks to the keyframe before `from`, and a relative `%+10` would
      // count from there, stopping short of the end on sources with long GOPs.
      ["-select_streams", `v:${videoIndex}`, "-read_intervals", `${from.toFixed(3)}%${(durationSeconds + 10).toFixed(3)}`, "-show_entries", "packet=pts_time,duration_time", path],
      signal,
    );
  } catch (err) {
    if (err instanceof FfprobeError) return 0;
    throw err;
  }
  const packets = (JSON.parse(out) as { packets?: { pts_time?: string; duration_time?: string }[] }).packets ?? [];
  let end = 0;
  for (const p of packets) {
    const pts = Number(p.pts_time);
    if (Number.isFinite(pts)) end = Math.max(end, pts + (Number(p.duration_time) || 0));
  }
  return end;
}

class FfprobeError extends Error {
  constructor(
    message: string,
    readonly stderr: string,
  ) {
    super(message);
  }
}

function runFfprobe(ffprobe: string, args: string[], signal: AbortSignal | undefined): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      ffprobe,
      ["-v", "error", "-of", "json", ...args],
      { maxBuffer: 64 * 1024 * 1024, signal, killSignal: "SIGKILL" },
      (err, stdout, stderr) => {
        if (signal?.aborted) reject(abortReason(signal));
        else if (err && "code" in err && err.code === "ENOENT") reject(new Error(`ffprobe not found at ${ffprobe}`, { cause: err }));
        else if (err) reject(new FfprobeError(err.message, stderr));
        else resolve(stdout);
      },
    );
  });
}

function lastLine(text: string): string {
  const lines = text.trim().split("\n");
  return (lines[lines.length - 1] ?? "").replace(/^\[[^\]]*\]\s*/, "").trim();
}
