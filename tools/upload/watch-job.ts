import { Code, ConnectError, type Client } from "@connectrpc/connect";
import { EncodingJobStatus } from "../../gen/cinemesh/common/v1/enums_pb.js";
import type { MediaService, WatchJobResponse } from "../../gen/cinemesh/media/v1/media_pb.js";

export interface FollowJobOptions {
  client: Client<typeof MediaService>;
  jobId: string;
  token: string;
  onUpdate: (update: WatchJobResponse) => void;
  /** Told before each reconnect, with the error that ended the previous stream. */
  onReconnect?: (err: ConnectError, delayMs: number) => void;
  signal?: AbortSignal;
  /** Pauses before successive reconnects without a message in between; then the error stands. */
  retryDelaysMs?: number[];
  sleep?: (ms: number) => Promise<void>;
}

export const DEFAULT_WATCH_RETRY_DELAYS_MS = [0, 500, 1_000, 2_000, 5_000, 10_000, 10_000, 10_000];

/** Codes after which watching again makes sense: the job goes on whatever happened to one stream. */
const RETRYABLE = new Set([Code.Unavailable, Code.DeadlineExceeded, Code.Unknown, Code.Internal, Code.Aborted]);

/**
 * Follows an encoding job with MediaService.WatchJob until it is COMPLETED or FAILED; resolves
 * with that last update. A stream can end early without the job ending: the server caps every
 * call's deadline, a replica shuts down (UNAVAILABLE), the connection drops. Then it watches
 * again; the first message of a new stream is the job's current state, so nothing is lost but
 * intermediate ticks. Gives up after the retry delays are used up with no message received.
 */
export async function followJob(options: FollowJobOptions): Promise<WatchJobResponse> {
  const delays = options.retryDelaysMs ?? DEFAULT_WATCH_RETRY_DELAYS_MS;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  let failures = 0;
  for (;;) {
    let ended: ConnectError;
    try {
      const stream = options.client.watchJob({ jobId: options.jobId }, { headers: { authorization: `Bearer ${options.token}` }, signal: options.signal });
      for await (const update of stream) {
        failures = 0;
        options.onUpdate(update);
        if (isTerminal(update.status)) return update;
      }
      ended = new ConnectError("the job stream ended before the job did", Code.Unavailable);
    } catch (err) {
      if (options.signal?.aborted) throw err;
      ended = ConnectError.from(err);
      if (!RETRYABLE.has(ended.code)) throw ended;
    }
    if (failures >= delays.length) throw ended;
    const delay = delays[failures++];
    options.onReconnect?.(ended, delay);
    await sleep(delay);
  }
}

function isTerminal(status: EncodingJobStatus): boolean {
  return status === EncodingJobStatus.COMPLETED || status === EncodingJobStatus.FAILED;
}
