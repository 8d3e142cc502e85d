/** The media service's domain: upload sessions, encoding jobs and their progress, outcomes. */

export type JobStatus = "PENDING" | "PROCESSING" | "COMPLETED" | "FAILED";

/** Where one rung of the ladder is (RenditionState in media_types.proto). */
export type RenditionState = "QUEUED" | "ENCODING" | "PACKAGING" | "UPLOADING" | "DONE" | "FAILED";

export interface RenditionStatus {
  /** Ladder rung as the encoder names it, e.g. "720p". */
  name: string;
  state: RenditionState;
  /** 0-100 within the rendition. */
  percent: number;
  /** Multiple of real time; 0 when unknown. */
  speed: number;
  etaSeconds: number;
  failureReason: string;
}

/** A job's progress as a watcher sees it. */
export interface JobProgress {
  status: JobStatus;
  /** 0-100 over the whole job. */
  percent: number;
  etaSeconds: number;
  renditions: RenditionStatus[];
  failureReason: string;
}

export interface Job extends JobProgress {
  jobId: string;
  videoId: string;
  contentId: string;
  sourceObjectKey: string;
  /** User id of the admin who uploaded the source. */
  createdBy: string;
  attempts: number;
  lastError: string;
  durationSeconds: number;
  outcome: EncodingOutcome | undefined;
  createdAt: Date;
  startedAt: Date | undefined;
  completedAt: Date | undefined;
}

export interface UploadSession {
  uploadId: string;
  jobId: string;
  videoId: string;
  contentId: string;
  filename: string;
  sizeBytes: number;
  contentType: string;
  /** Where the source lives once received: `originals/{videoId}/{jobId}/source`. */
  objectKey: string;
  createdBy: string;
  createdAt: Date;
  expiresAt: Date;
  completedAt: Date | undefined;
}

/** One encoded rendition, as the catalog records it (VideoFile without ids). */
export interface RenditionFile {
  /** "360p" … "2160p". */
  name: string;
  codec: string;
  /** Average bits per second. */
  bitrate: number;
  peakBitrate: number;
  width: number;
  height: number;
  frameRate: number;
  /** Object key of the rendition's HLS media playlist. */
  playlistKey: string;
  sizeBytes: number;
}

export interface AudioTrackFile {
  language: string;
  label: string;
  channels: number;
  codec: string;
  /** Average bits per second. */
  bitrate: number;
  isDefault: boolean;
  playlistKey: string;
}

export interface SubtitleFile {
  language: string;
  label: string;
  closedCaptions: boolean;
  objectKey: string;
}

/** What a successful job produced, with object keys of everything it stored. */
export interface EncodingOutcome {
  durationSeconds: number;
  renditions: RenditionFile[];
  audioTracks: AudioTrackFile[];
  subtitles: SubtitleFile[];
  hlsManifestKey: string;
  dashManifestKey: string;
  trickplayVttKey: string;
  previewKey: string;
  thumbnailKeys: string[];
  /** Wall-clock seconds the successful attempt took. */
  encodingSeconds: number;
}

/** Object-store layout of the media service. */
export const objectKeys = {
  /** Everything of one job's source: the original and, on S3, the tus bookkeeping beside it. */
  originalPrefix: (videoId: string, jobId: string) => `originals/${videoId}/${jobId}/`,
  original: (videoId: string, jobId: string) => `originals/${videoId}/${jobId}/source`,
  /** One job's outputs; cleared whenever a delivery of the job starts. */
  outputPrefix: (videoId: string, jobId: string) => `videos/${videoId}/${jobId}/`,
  /** Uploaded subtitles belong to the video, whichever job encoded it. */
  subtitle: (videoId: string, language: string, closedCaptions: boolean) => `videos/${videoId}/subtitles/${language}${closedCaptions ? ".cc" : ""}.vtt`,
};

export function isTerminal(status: JobStatus): boolean {
  return status === "COMPLETED" || status === "FAILED";
}
