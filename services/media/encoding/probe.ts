import { execFile } from "node:child_process";
import { stat } from "node:fs/promises";
import { ffprobePath as defaultFfprobePath } from "./binaries.js";
import { InvalidMediaError, abortReason } from "./errors.js";
import { formatRefusal, NOT_MEDIA_MESSAGE, sourceInputOptions } from "./input-whitelist.js";
import { interpretProbe, type FfprobeOutput, type SourceInfo } from "./source-info.js";

export interface ProbeOptions {
  ffprobePath?: string;
  signal?: AbortSignal;
  /** ffprobe is killed, and the file refused, when the whole probe takes longer (default 30 s). */
  timeoutMs?: number;
}

export const DEFAULT_PROBE_TIMEOUT_MS = 30_000;

/**
 * Reads a source with ffprobe and checks it is playable: a recognised format, a decodable video
 * stream, a first frame that decodes, and packets up to the duration the file announces (a
 * truncated upload whose index survived stops early). Rejects with InvalidMediaError otherwise.
 * ffprobe may only use the container demuxers of `input-whitelist.ts` and read local files, so
 * a playlist or concat list is refused instead of followed; a probe that does not finish within
 * `timeoutMs` (a file that makes a demuxer read forever, a FIFO) is killed and refused.
 */
export async function probeSource(path: string, opts: ProbeOptions = {}): Promise<SourceInfo> {
  const ffprobe = opts.ffprobePath ?? defaultFfprobePath();
  const stats = await stat(path);
  if (stats.isFile() && stats.size === 0) throw new InvalidMediaError("not-media", "The file is empty.");
  const timeoutMs = opts.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS;
  const deadline = AbortSignal.timeout(timeoutMs);
  const signal = opts.signal ? AbortSignal.any([opts.signal, deadline]) : deadline;
  try {
    return await probeWithin(ffprobe, path, stats.size, signal);
  } catch (err) {
    if (deadline.aborted && !opts.signal?.aborted) {
      throw new InvalidMediaError(
        "corrupt",
        `The file cannot be read: ffprobe did not finish reading it within ${timeoutMs / 1000} s, as with a damaged file or a stream that never ends.`,
        { cause: err },
      );
    }
    throw err;
  }
}

async function probeWithin(ffprobe: string, path: string, size: number, signal: AbortSignal): Promise<SourceInfo> {
  const report = await runFfprobe(ffprobe, ["-show_format", "-show_streams", path], signal).catch((err: unknown) => {
    throw classifyOpenFailure(err);
  });
  const info = interpretProbe(JSON.parse(report) as FfprobeOutput);
  const [firstFrame, lastPacketEnd] = await Promise.all([
    decodesFirstFrame(ffprobe, path, info.video.videoIndex, signal),
    videoPacketsEnd(ffprobe, path, info.video.videoIndex, info.video.durationSeconds, signal),
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
  const refused = formatRefusal(err.stderr, err);
  if (refused) return refused;
  if (/moov atom not found/i.test(err.stderr)) {
    return new InvalidMediaError(
      "corrupt",
      "The file is damaged or incomplete: it looks like an MP4/MOV but its index (moov atom) is missing, as when an upload is cut short.",
      { cause: err },
    );
  }
  if (/Invalid data found when processing input|could not find codec parameters|Unknown format/i.test(err.stderr)) {
    return new InvalidMediaError("not-media", NOT_MEDIA_MESSAGE, { cause: err });
  }
  return new InvalidMediaError("corrupt", `The file cannot be read: ${lastLine(err.stderr) || err.message}.`, { cause: err });
}

async function decodesFirstFrame(
  ffprobe: string,
  path: string,
  videoIndex: number,
  signal: AbortSignal,
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
  signal: AbortSignal,
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

/**
 * The input is the last argument; the whitelists go just before it, as input options.
 * An aborted probe settles only once ffprobe has exited: execFile calls back as soon as it
 * has sent the kill, while the process may still be running.
 */
function runFfprobe(ffprobe: string, args: string[], signal: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      ffprobe,
      ["-v", "error", "-of", "json", ...args.slice(0, -1), ...sourceInputOptions(), ...args.slice(-1)],
      { maxBuffer: 64 * 1024 * 1024, signal, killSignal: "SIGKILL" },
      (err, stdout, stderr) => {
        const running = child.pid !== undefined && child.exitCode === null && child.signalCode === null;
        if (signal.aborted && running) child.once("exit", () => reject(abortReason(signal)));
        else if (signal.aborted) reject(abortReason(signal));
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
