import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { AudioTrackSchema, SubtitleSchema, VideoFileSchema, type AudioTrack, type Subtitle, type VideoFile } from "../../gen/cinemesh/catalog/v1/catalog_types_pb.js";
import { EncodingJobStatus, SubtitleFormat, VideoQuality } from "../../gen/cinemesh/common/v1/enums_pb.js";
import { WatchJobResponseSchema, type WatchJobResponse } from "../../gen/cinemesh/media/v1/media_pb.js";
import { RenditionProgressSchema, RenditionState as RenditionStateProto, UploadSchema, type RenditionProgress, type Upload } from "../../gen/cinemesh/media/v1/media_types_pb.js";
import type { AudioTrackFile, JobProgress, JobStatus, RenditionFile, RenditionState, RenditionStatus, SubtitleFile, UploadSession } from "./model.js";

/** Domain values as the media and catalog contracts spell them. */

const STATUS: Record<JobStatus, EncodingJobStatus> = {
  PENDING: EncodingJobStatus.PENDING,
  PROCESSING: EncodingJobStatus.PROCESSING,
  COMPLETED: EncodingJobStatus.COMPLETED,
  FAILED: EncodingJobStatus.FAILED,
};

const STATE: Record<RenditionState, RenditionStateProto> = {
  QUEUED: RenditionStateProto.QUEUED,
  ENCODING: RenditionStateProto.ENCODING,
  PACKAGING: RenditionStateProto.PACKAGING,
  UPLOADING: RenditionStateProto.UPLOADING,
  DONE: RenditionStateProto.DONE,
  FAILED: RenditionStateProto.FAILED,
};

export function jobStatusMessage(status: JobStatus): EncodingJobStatus {
  return STATUS[status];
}

export function jobStatusOf(status: EncodingJobStatus): JobStatus | undefined {
  return (Object.keys(STATUS) as JobStatus[]).find((k) => STATUS[k] === status);
}

export function renditionStateOf(state: RenditionStateProto): RenditionState | undefined {
  return (Object.keys(STATE) as RenditionState[]).find((k) => STATE[k] === state);
}

/**
 * "1080p" → VIDEO_QUALITY_1080P. A source below the lowest rung gets one rendition at its own size
 * ("240p"), which counts as the lowest quality; UNSPECIFIED for a name that is not `<height>p`.
 */
export function qualityOf(name: string): VideoQuality {
  const m = /^(\d+)p$/i.exec(name) ?? (/^4k$/i.test(name) ? ["", "2160"] : null);
  if (m === null) return VideoQuality.VIDEO_QUALITY_UNSPECIFIED;
  const height = Number(m[1]);
  if (height <= 360) return VideoQuality.VIDEO_QUALITY_360P;
  if (height <= 480) return VideoQuality.VIDEO_QUALITY_480P;
  if (height <= 720) return VideoQuality.VIDEO_QUALITY_720P;
  if (height <= 1080) return VideoQuality.VIDEO_QUALITY_1080P;
  return VideoQuality.VIDEO_QUALITY_2160P;
}

export function nameOfQuality(q: VideoQuality): string {
  return { 1: "360p", 2: "480p", 3: "720p", 4: "1080p", 5: "2160p" }[q as number] ?? "";
}

export function renditionProgressMessage(r: RenditionStatus): RenditionProgress {
  return create(RenditionProgressSchema, {
    quality: qualityOf(r.name),
    state: STATE[r.state],
    percent: r.percent,
    speed: r.speed,
    etaSeconds: r.etaSeconds,
    failureReason: r.failureReason,
  });
}

export function watchJobMessage(jobId: string, videoId: string, p: JobProgress): WatchJobResponse {
  return create(WatchJobResponseSchema, {
    jobId,
    videoId,
    status: STATUS[p.status],
    percent: p.percent,
    renditions: p.renditions.map(renditionProgressMessage),
    etaSeconds: p.etaSeconds,
    failureReason: p.failureReason,
  });
}

/** The snapshot a WatchJobResponse carries, back in domain terms (live messages travel as protobuf). */
export function progressOfWatchMessage(m: WatchJobResponse): JobProgress {
  return {
    status: jobStatusOf(m.status) ?? "PENDING",
    percent: m.percent,
    etaSeconds: m.etaSeconds,
    failureReason: m.failureReason,
    renditions: m.renditions.map((r) => ({
      name: nameOfQuality(r.quality),
      state: renditionStateOf(r.state) ?? "QUEUED",
      percent: r.percent,
      speed: r.speed,
      etaSeconds: r.etaSeconds,
      failureReason: r.failureReason,
    })),
  };
}

export function videoFileMessage(videoId: string, r: RenditionFile): VideoFile {
  return create(VideoFileSchema, {
    videoId,
    quality: qualityOf(r.name),
    codec: r.codec,
    bitrate: r.bitrate,
    peakBitrate: r.peakBitrate,
    resolution: `${r.width}x${r.height}`,
    width: r.width,
    height: r.height,
    frameRate: r.frameRate,
    storageLocation: r.playlistKey,
    sizeBytes: BigInt(r.sizeBytes),
  });
}

export function audioTrackMessage(videoId: string, a: AudioTrackFile): AudioTrack {
  return create(AudioTrackSchema, {
    videoId,
    language: a.language,
    label: a.label,
    codec: a.codec,
    channels: a.channels,
    bitrate: a.bitrate,
    storageLocation: a.playlistKey,
    isDefault: a.isDefault,
  });
}

export function subtitleMessage(videoId: string, s: SubtitleFile): Subtitle {
  return create(SubtitleSchema, {
    videoId,
    language: s.language,
    label: s.label,
    format: SubtitleFormat.WEBVTT,
    storageLocation: s.objectKey,
    closedCaptions: s.closedCaptions,
  });
}

export function uploadMessage(u: UploadSession): Upload {
  return create(UploadSchema, {
    uploadId: u.uploadId,
    videoId: u.videoId,
    contentId: u.contentId,
    encodingJobId: u.jobId,
    filename: u.filename,
    sizeBytes: BigInt(u.sizeBytes),
    contentType: u.contentType,
    objectKey: u.objectKey,
    createdBy: u.createdBy,
    createdAt: timestampFromDate(u.createdAt),
    expiresAt: timestampFromDate(u.expiresAt),
    completed: u.completedAt !== undefined,
  });
}
