import { VideoQuality } from "../../gen/cinemesh/common/v1/enums_pb.js";
import type { VideoEncoded, VideoEncodingFailed } from "../../gen/cinemesh/events/v1/media_events_pb.js";
import type { NewNotification, Recipient } from "./model.js";

/**
 * Encoding results (media's VideoEncoded / VideoEncodingFailed) become notifications for the admin
 * who uploaded the video: the events' `uploaded_by` user id, which media took from the verified
 * caller of the upload. Every profile of that account sees it, each with its own read state;
 * other admins do not.
 *
 * An event without `uploaded_by` was published by a media service older than the field (it may
 * still sit in the stream during a rolling upgrade): nobody is named, so it goes to the admins
 * audience as before, rather than to no one.
 *
 * Redeliveries and republished events are harmless: the dedupe key is the job id.
 */
export function videoEncodedNotification(event: VideoEncoded): NewNotification {
  const facts = [
    qualities(event.renditions.map((r) => r.quality)),
    event.durationSeconds > 0 ? `${duration(event.durationSeconds)} long` : "",
    event.encodingSeconds > 0 ? `encoded in ${duration(event.encodingSeconds)}` : "",
  ].filter((f) => f !== "");
  return {
    recipient: uploader(event),
    kind: "system",
    title: "Video ready to play",
    body: `Video ${event.videoId} of title ${event.contentId} is encoded${facts.length > 0 ? `: ${facts.join(", ")}` : ""}.`,
    contentId: uuidOrUndefined(event.contentId),
    imageUrl: "",
    link: `/title/${event.contentId}`,
    dedupeKey: `media.video_encoded:${event.jobId || event.meta?.eventId}`,
  };
}

export function videoEncodingFailedNotification(event: VideoEncodingFailed): NewNotification {
  const rendition = event.failedQuality === VideoQuality.VIDEO_QUALITY_UNSPECIFIED ? "" : ` (${qualityLabel(event.failedQuality)})`;
  return {
    recipient: uploader(event),
    kind: "system",
    title: "Video encoding failed",
    body: `Video ${event.videoId} of title ${event.contentId} could not be encoded${rendition}: ${event.reason || "no reason given"}.`,
    contentId: uuidOrUndefined(event.contentId),
    imageUrl: "",
    link: `/admin/encoding/${event.jobId}`,
    dedupeKey: `media.video_encoding_failed:${event.jobId || event.meta?.eventId}`,
  };
}

function uploader(event: { uploadedBy: string }): Recipient {
  return event.uploadedBy === "" ? { kind: "admins" } : { kind: "user", userId: event.uploadedBy };
}

/** "1080p" for VIDEO_QUALITY_1080P. */
export function qualityLabel(q: VideoQuality): string {
  return (VideoQuality[q] ?? `quality ${q}`).replace(/^VIDEO_QUALITY_/, "").toLowerCase();
}

function qualities(list: VideoQuality[]): string {
  return [...new Set(list)]
    .filter((q) => q !== VideoQuality.VIDEO_QUALITY_UNSPECIFIED)
    .sort((a, b) => b - a)
    .map(qualityLabel)
    .join(" / ");
}

/** "1h 32m", "14m 3s", "45s". */
export function duration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h > 0) return `${h}h ${m}m`;
  return m > 0 ? `${m}m ${s}s` : `${s}s`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The store keeps content ids as UUIDs; anything else would fail on every redelivery. */
function uuidOrUndefined(id: string): string | undefined {
  return UUID.test(id) ? id : undefined;
}
