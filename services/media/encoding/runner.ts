import { mkdir } from "node:fs/promises";
import ffmpeg from "fluent-ffmpeg";
import { EncodingFailedError, abortReason } from "./errors.js";
import type { FfmpegCommandSpec } from "./ffmpeg-command.js";
import { silentLogger, type EncodingLogger } from "./logger.js";

/** One of ffmpeg's periodic stats lines, as fluent-ffmpeg parses it. */
export interface FfmpegTick {
  /** Frames written so far to the first video stream of the first output. */
  frames: number;
  /** Largest output timestamp so far, seconds. */
  timemarkSeconds: number;
}

export interface RunOptions {
  ffmpegPath: string;
  ffprobePath?: string;
  signal?: AbortSignal;
  onTick?: (tick: FfmpegTick) => void;
  logger?: EncodingLogger;
  /** Words for the error when ffmpeg fails ("encoding failed"). */
  description?: string;
}

/**
 * Runs one ffmpeg command through fluent-ffmpeg: progress from its `progress` events, the last
 * lines ffmpeg printed in the error when it fails, SIGKILL when `signal` aborts.
 */
export async function runFfmpeg(spec: FfmpegCommandSpec, opts: RunOptions): Promise<void> {
  const { signal, logger = silentLogger, description = "ffmpeg failed" } = opts;
  if (signal?.aborted) throw abortReason(signal);
  await Promise.all((spec.directories ?? []).map((dir) => mkdir(dir, { recursive: true })));
  const command = ffmpeg({ stdoutLines: 200 });
  command.setFfmpegPath(opts.ffmpegPath);
  if (opts.ffprobePath) command.setFfprobePath(opts.ffprobePath);
  for (const input of spec.inputs) {
    command.input(input.path);
    addOptions(input.options, (...o) => command.inputOptions(...o));
  }
  if (spec.filterComplex) command.complexFilter(spec.filterComplex);
  for (const output of spec.outputs) {
    command.output(output.path);
    addOptions(output.options, (...o) => command.outputOptions(...o));
  }

  await new Promise<void>((resolve, reject) => {
    const onAbort = (): void => {
      // Before 'start' there is no process yet; the 'start' handler kills it as soon as there is.
      if ((command as unknown as { ffmpegProc?: unknown }).ffmpegProc) command.kill("SIGKILL");
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    const settle = (err?: unknown): void => {
      signal?.removeEventListener("abort", onAbort);
      if (err === undefined) resolve();
      else reject(err);
    };
    command
      .on("start", (line: string) => {
        if (signal?.aborted) command.kill("SIGKILL");
        else logger.info({ command: line }, "ffmpeg started");
      })
      .on("progress", (p: { frames?: number; timemark?: string }) => {
        opts.onTick?.({ frames: Number.isFinite(p.frames) ? p.frames! : 0, timemarkSeconds: timemarkToSeconds(p.timemark) });
      })
      .on("end", () => settle())
      .on("error", (err: Error, _stdout: string | null, stderr: string | null) => {
        if (signal?.aborted) return settle(abortReason(signal));
        settle(new EncodingFailedError(description, errorLines(stderr ?? ""), { cause: err }));
      })
      .run();
  });
}

/**
 * fluent-ffmpeg splits a lone option holding exactly one space in two ("-metadata" and "title=A B"
 * would break); options passed as separate arguments are taken as they are.
 */
function addOptions(options: string[], add: (...options: string[]) => unknown): void {
  if (options.length === 0) return;
  if (options.length === 1 && options[0]!.split(" ").length === 2) throw new Error(`fluent-ffmpeg would split the option "${options[0]}"`);
  add(...options);
}

function timemarkToSeconds(timemark: string | undefined): number {
  const match = /^(-?)(\d+):(\d+):(\d+(?:\.\d+)?)$/.exec(timemark ?? "");
  if (!match) return 0;
  const seconds = Number(match[2]) * 3600 + Number(match[3]) * 60 + Number(match[4]);
  return match[1] ? 0 : seconds;
}

/** What ffmpeg said went wrong: its last lines that are not progress reports. */
function errorLines(stderr: string, max = 6): string {
  const lines = stderr
    .split(/\r\n|\r|\n/)
    .map((l) => l.trim())
    .filter((l) => l && !/^frame=|^size=|^video:/.test(l));
  return lines.slice(-max).join("\n");
}
