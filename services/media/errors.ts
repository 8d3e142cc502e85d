import { Code, ConnectError } from "@connectrpc/connect";

/**
 * Why a media operation refused: the domain's own errors, turned into RPC codes (or HTTP statuses
 * for the upload endpoints) only at the boundary. Anything else thrown is a fault.
 */
export type MediaErrorKind = "not_found" | "invalid_argument" | "failed_precondition" | "too_large" | "gone";

export class MediaError extends Error {
  constructor(
    readonly kind: MediaErrorKind,
    message: string,
    /** The request field the error is about, when there is one. */
    readonly field?: string,
  ) {
    super(message);
    this.name = "MediaError";
  }
}

export const jobNotFound = (jobId: string) => new MediaError("not_found", `encoding job ${jobId} not found`);
export const uploadNotFound = (uploadId: string) => new MediaError("not_found", `upload ${uploadId} not found`);

const CODE: Record<MediaErrorKind, Code> = {
  not_found: Code.NotFound,
  invalid_argument: Code.InvalidArgument,
  failed_precondition: Code.FailedPrecondition,
  too_large: Code.InvalidArgument,
  gone: Code.FailedPrecondition,
};

const HTTP_STATUS: Record<MediaErrorKind, number> = {
  not_found: 404,
  invalid_argument: 400,
  failed_precondition: 409,
  too_large: 413,
  gone: 410,
};

export function toConnectError(err: unknown): unknown {
  return err instanceof MediaError ? new ConnectError(err.message, CODE[err.kind]) : err;
}

export function httpStatusOf(err: MediaError): number {
  return HTTP_STATUS[err.kind];
}

export function formatBytes(n: number): string {
  const units = ["bytes", "KiB", "MiB", "GiB", "TiB"];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${n} bytes` : `${v.toFixed(v >= 10 ? 0 : 1)} ${units[u]}`;
}
