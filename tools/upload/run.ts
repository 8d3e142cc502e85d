import { CLI_EXIT } from "../cli/command-line.js";
import { stat } from "node:fs/promises";
import path from "node:path";
import { ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { MediaService } from "../../gen/cinemesh/media/v1/media_pb.js";
import type { UploadArgs } from "./args.js";
import { contentTypeOf, createVideoUpload } from "./create-upload.js";
import { ProgressBars } from "./progress-bars.js";
import { outcomeOf, uploadLine, watchLines } from "./progress-format.js";
import { RateMeter } from "./rate-meter.js";
import { fingerprintOf, ResumeState, type PendingUpload } from "./resume-state.js";
import { tusUpload, UploadAbortedError, UploadRejectedError } from "./tus-upload.js";
import { followJob } from "./watch-job.js";

export interface RunIo {
  /** Progress bars and diagnostics. */
  stderr: NodeJS.WritableStream;
  /** The final result line. */
  stdout: NodeJS.WritableStream;
  /** Aborted on Ctrl-C: the upload stops where it is (resumable), watching stops. */
  signal: AbortSignal;
  /** Retry pauses of the upload and of the job watch (tests shorten them). */
  uploadRetryDelays?: number[];
  watchRetryDelaysMs?: number[];
}

export const EXIT = CLI_EXIT;

/**
 * The upload command: register the upload (or pick up the unfinished one of the same command),
 * send the bytes with tus, then follow the encoding job. Resolves to the process exit code.
 */
export async function runUpload(args: UploadArgs, io: RunIo): Promise<number> {
  const say = (line: string) => io.stderr.write(`${line}\n`);
  const file = await stat(args.file).catch(() => undefined);
  if (file === undefined || !file.isFile() || file.size === 0) {
    say(`error: ${args.file} is not a non-empty file`);
    return EXIT.failed;
  }
  const state = new ResumeState(args.stateFile);
  const fingerprint = fingerprintOf({ ...args, file: { path: args.file, size: file.size, mtimeMs: file.mtimeMs } });
  const bars = new ProgressBars(io.stderr);
  try {
    const uploaded = await uploadOnce(args, io, { state, fingerprint, size: file.size, bars });
    if (typeof uploaded === "number") return uploaded;
    if (!args.watch) {
      bars.stop();
      io.stdout.write(`uploaded: video ${uploaded.videoId}, encoding job ${uploaded.encodingJobId}\n`);
      return EXIT.ok;
    }
    return await watch(args, io, uploaded, bars);
  } finally {
    bars.stop();
  }
}

interface UploadContext {
  state: ResumeState;
  fingerprint: string;
  size: number;
  bars: ProgressBars;
}

/** The registered upload once its bytes are all in, or an exit code. */
async function uploadOnce(args: UploadArgs, io: RunIo, ctx: UploadContext): Promise<PendingUpload | number> {
  const { state, fingerprint, bars } = ctx;
  let pending = await state.find(fingerprint);
  let resumed = pending !== undefined;
  for (;;) {
    if (pending === undefined) {
      try {
        pending = await createVideoUpload({
          ...args,
          filename: path.basename(args.file),
          sizeBytes: ctx.size,
          contentType: contentTypeOf(args.file),
        });
      } catch (err) {
        bars.log(`error: ${(err as Error).message}`);
        return EXIT.failed;
      }
      await state.remember(fingerprint, pending, args.file);
      bars.log(`upload ${pending.uploadId}: video ${pending.videoId}, encoding job ${pending.encodingJobId}`);
    } else {
      bars.log(`resuming upload ${pending.uploadId} (encoding job ${pending.encodingJobId})`);
    }
    const meter = new RateMeter();
    try {
      await tusUpload({
        uploadUrl: pending.uploadUrl,
        file: args.file,
        token: args.token,
        chunkBytes: args.chunkBytes,
        retryDelays: io.uploadRetryDelays,
        signal: io.signal,
        onProgress: (sent, total) => bars.show([uploadLine(sent, total, meter.sample(Date.now(), sent))]),
      });
      await state.forget(fingerprint);
      return pending;
    } catch (err) {
      if (err instanceof UploadAbortedError) {
        bars.log("interrupted: run the same command again to resume the upload");
        return EXIT.interrupted;
      }
      if (err instanceof UploadRejectedError && resumed && (err.status === 404 || err.status === 410)) {
        // The server no longer has it (expired, cleaned up): register the file again.
        bars.log(`upload ${pending.uploadId} is gone on the server; starting a new one`);
        await state.forget(fingerprint);
        pending = undefined;
        resumed = false;
        continue;
      }
      if (err instanceof UploadRejectedError) {
        await state.forget(fingerprint); // sending the same bytes again cannot change the answer
        bars.log(`error: ${err.message}`);
        return EXIT.failed;
      }
      bars.log(`error: the upload failed: ${(err as Error).message}; run the same command again to resume it`);
      return EXIT.failed;
    }
  }
}

async function watch(args: UploadArgs, io: RunIo, upload: PendingUpload, bars: ProgressBars): Promise<number> {
  const client = createClient(MediaService, createConnectTransport({ baseUrl: args.edge, httpVersion: "1.1" }));
  try {
    const last = await followJob({
      client,
      jobId: upload.encodingJobId,
      token: args.token,
      signal: io.signal,
      retryDelaysMs: io.watchRetryDelaysMs,
      onUpdate: (u) => bars.show(watchLines(u)),
      onReconnect: (err, delayMs) => {
        if (delayMs > 0) bars.log(`watching again in ${delayMs} ms (${err.rawMessage || err.message})`);
      },
    });
    bars.stop();
    const outcome = outcomeOf({ ...last, videoId: last.videoId || upload.videoId })!;
    (outcome.ok ? io.stdout : io.stderr).write(`${outcome.message}\n`);
    return outcome.ok ? EXIT.ok : EXIT.failed;
  } catch (err) {
    bars.stop();
    if (io.signal.aborted) {
      io.stderr.write(`stopped watching; encoding job ${upload.encodingJobId} goes on on the server\n`);
      return EXIT.interrupted;
    }
    io.stderr.write(`error: watching encoding job ${upload.encodingJobId} failed: ${ConnectError.from(err).message}\n`);
    return EXIT.failed;
  }
}
