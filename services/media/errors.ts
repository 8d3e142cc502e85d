import { DomainError, type DomainErrorKind } from "../../platform/domain/errors.js";

/**
 * Why a media operation refused: the platform's typed domain errors, turned into RPC codes by
 * platform/rpc/errors.ts (or HTTP statuses for the upload endpoints) only at the boundary.
 * Anything else thrown is a fault.
 */
export type MediaErrorKind = "not_found" | "invalid_argument" | "failed_precondition" | "too_large" | "gone";

const RPC_KIND: Record<MediaErrorKind, DomainErrorKind> = {
  not_found: "not_found",
  invalid_argument: "invalid_argument",
  failed_precondition: "failed_precondition",
  too_large: "invalid_argument",
  gone: "failed_precondition",
};

export class MediaError extends DomainError {
  constructor(
    /** The finer reason, for the upload endpoints' HTTP status. */
    readonly reason: MediaErrorKind,
    message: string,
    /** The request field the error is about, when there is one. */
    field?: string,
  ) {
    super(RPC_KIND[reason], message, field);
    this.name = "MediaError";
  }
}

export const jobNotFound = (jobId: string) => new MediaError("not_found", `encoding job ${jobId} not found`);
export const uploadNotFound = (uploadId: string) => new MediaError("not_found", `upload ${uploadId} not found`);


const HTTP_STATUS: Record<MediaErrorKind, number> = {
  not_found: 404,
  invalid_argument: 400,
  failed_precondition: 409,
  too_large: 413,
  gone: 410,
};

export function httpStatusOf(err: MediaError): number {
  return HTTP_STATUS[err.reason];
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
