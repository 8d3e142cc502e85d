/**
 * What the worker and the upload path need from the encoding core (services/media/encoding/):
 * probing a source and running the whole ladder. Taken as injected functions so the orchestration
 * can be tested on its own; `encoder-binding.ts` binds them to the real pipeline.
 */

export type EncoderRenditionState = "queued" | "encoding" | "packaging" | "done" | "failed";

export interface EncoderProgress {
  rendition: string;
  /** "video" for a rung of the ladder; audio tracks and side outputs ("audio", "artwork", "subtitles") are not renditions. */
  kind?: string;
  state: EncoderRenditionState;
  percent: number;
  speed: number;
  etaSeconds: number;
}

export interface EncoderSubtitle {
  language: string;
  label: string;
  /** Absolute path of the file. */
  path: string;
  format: "srt" | "webvtt";
}

export interface EncodeRequest {
  sourcePath: string;
  workDir: string;
  subtitles?: EncoderSubtitle[];
  signal?: AbortSignal;
  onProgress?: (p: EncoderProgress) => void;
}

/** Paths are relative to the work dir. */
export interface EncodeResult {
  durationSeconds: number;
  renditions: Array<{
    name: string;
    width: number;
    height: number;
    /** Peak bits per second. */
    bitrate: number;
    averageBitrate: number;
    codec: string;
    frameRate: number;
    playlist: string;
    /** Bytes of the rung's init and media segments. */
    sizeBytes: number;
  }>;
  audioTracks: Array<{ language: string; label: string; channels: number; codec?: string; bitrate?: number; isDefault?: boolean; playlist: string }>;
  subtitles: Array<{ language: string; label: string; path: string }>;
  hlsMaster: string;
  dashManifest: string;
  thumbnails: string[];
  trickplay: { sprite: string; vtt: string; intervalSeconds: number };
  preview: string;
}

/** Rejects with a human-readable reason when the file is not playable media. */
export type ProbeFn = (path: string) => Promise<unknown>;
export type EncodeFn = (request: EncodeRequest) => Promise<EncodeResult>;

export interface Encoder {
  probe: ProbeFn;
  encode: EncodeFn;
}
