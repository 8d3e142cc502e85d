/** Why a source file was refused before any encoding started. */
export type InvalidMediaReason =
  /** ffmpeg does not recognise the file as audio/video at all (random bytes, a document, ANSI art…). */
  | "not-media"
  /** A media file, but without a video stream ffmpeg can decode (audio only, a still image, unknown codec). */
  | "no-video"
  /** A video file that is damaged or incomplete (truncated upload, missing index, undecodable frames). */
  | "corrupt";

/** The source is not playable media; `message` is written for the person who uploaded it. */
export class InvalidMediaError extends Error {
  override readonly name = "InvalidMediaError";
  constructor(
    readonly reason: InvalidMediaReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** ffmpeg ran and failed; `detail` holds the last lines it printed. */
export class EncodingFailedError extends Error {
  override readonly name = "EncodingFailedError";
  constructor(
    message: string,
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(detail ? `${message}: ${detail}` : message, options);
  }
}

/** An uploaded subtitle file could not be read as SRT or WebVTT. */
export class InvalidSubtitleError extends Error {
  override readonly name = "InvalidSubtitleError";
  constructor(
    readonly language: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** What an aborted operation rejects with: the signal's reason, as Node's own APIs do. */
export function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException("The operation was aborted", "AbortError");
}
