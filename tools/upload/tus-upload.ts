import { createReadStream } from "node:fs";
import { DetailedError, Upload } from "tus-js-client";

export interface TusUploadOptions {
  /** The upload's absolute tus URL; it exists already (CreateVideoUpload made it). */
  uploadUrl: string;
  file: string;
  token: string;
  chunkBytes: number;
  /** Pauses before each retry of a failed request; the upload fails once they are used up. */
  retryDelays?: number[];
  onProgress?: (bytesSent: number, bytesTotal: number) => void;
  signal?: AbortSignal;
}

export const DEFAULT_RETRY_DELAYS = [0, 1_000, 3_000, 5_000, 10_000, 20_000, 30_000];

/** The server refused the bytes for good (4xx): e.g. 422 when the finished file is not playable media. */
export class UploadRejectedError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
  ) {
    super(`the server refused the upload (${status}): ${reason}`);
    this.name = "UploadRejectedError";
  }
}

export class UploadAbortedError extends Error {
  constructor() {
    super("upload interrupted");
    this.name = "UploadAbortedError";
  }
}

/**
 * Sends the file to an existing tus upload with tus-js-client: HEAD first, so an interrupted
 * upload continues at the offset the server has; then PATCHes of `chunkBytes`, each retried
 * after the delays on network errors and 5xx/409/423. Never creates an upload (no endpoint): a
 * missing one is an UploadRejectedError (404/410), which the caller handles by starting anew.
 */
export function tusUpload(options: TusUploadOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    // tus-js-client's Node file reader slices an fs.ReadStream by its path, so it can seek to any
    // offset; its typings only name browser inputs and Buffer.
    const input = createReadStream(options.file) as unknown as Buffer;
    const upload = new Upload(input, {
      uploadUrl: options.uploadUrl,
      endpoint: null,
      chunkSize: options.chunkBytes,
      retryDelays: options.retryDelays ?? DEFAULT_RETRY_DELAYS,
      headers: { authorization: `Bearer ${options.token}` },
      storeFingerprintForResuming: false, // resuming is ResumeState's job: the upload is not tus-created
      onProgress: options.onProgress ?? null,
      onSuccess: () => {
        options.signal?.removeEventListener("abort", onAbort);
        resolve();
      },
      onError: (err) => {
        options.signal?.removeEventListener("abort", onAbort);
        reject(classify(err));
      },
    });
    const onAbort = () => {
      void upload.abort(false).finally(() => reject(new UploadAbortedError()));
    };
    if (options.signal?.aborted) {
      reject(new UploadAbortedError());
      return;
    }
    options.signal?.addEventListener("abort", onAbort, { once: true });
    upload.start();
  });
}

function classify(err: Error): Error {
  if (err instanceof DetailedError && err.originalResponse !== null) {
    const status = err.originalResponse.getStatus();
    if (status >= 400 && status < 500) return new UploadRejectedError(status, reasonOf(err.originalResponse.getBody()) || err.message);
  }
  return err;
}

/** The edge answers `{code, message}` JSON; tus servers often plain text. */
function reasonOf(body: string): string {
  try {
    const json = JSON.parse(body) as { message?: unknown };
    if (typeof json.message === "string") return json.message;
  } catch {
    // not JSON
  }
  return body.trim();
}
