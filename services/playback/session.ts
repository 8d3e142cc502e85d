import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import type { Content, Video } from "../../gen/cinemesh/catalog/v1/catalog_types_pb.js";
import { VideoQuality } from "../../gen/cinemesh/common/v1/enums_pb.js";
import { StartPlaybackResponseSchema, type StartPlaybackResponse } from "../../gen/cinemesh/playback/v1/playback_pb.js";
import { signMediaToken } from "../../platform/media/media-token.js";
import { qualityOfShortSide } from "../../platform/media/quality-cap.js";

/** What one session's URLs are signed with. */
export interface SessionGrant {
  sessionId: string;
  signingKey: Buffer;
  mediaBaseUrl: string;
  expiresAtMs: number;
}

export interface SessionInput extends SessionGrant {
  video: Video;
  content: Content;
  maxShortSide: number;
  resumePosition: number;
}

/**
 * A session's media token and its URLs: one token opens the video's folder (`videos/<videoId>/`)
 * up to the plan's rendition, and every URL is that token in front of the object key, so the
 * relative URIs inside the playlists carry it as well. An empty key has no URL ("").
 */
export function sessionUrls(grant: SessionGrant, videoId: string, maxShortSide: number): { token: string; url: (key: string) => string } {
  const token = signMediaToken(grant.signingKey, {
    prefix: `videos/${videoId}/`,
    expiresAt: Math.floor(grant.expiresAtMs / 1000),
    maxShortSide,
    sessionId: grant.sessionId,
  });
  return { token, url: (key) => (key === "" ? "" : `${grant.mediaBaseUrl}/${token}/${key.split("/").map(encodeURIComponent).join("/")}`) };
}

/** A playback session's answer: manifests, renditions, audio, subtitles, trickplay, all signed by sessionUrls. */
export function playbackSession(input: SessionInput): StartPlaybackResponse {
  const { video, maxShortSide } = input;
  const { token, url } = sessionUrls(input, video.videoId, maxShortSide);
  const hls = url(video.hlsManifestPath);
  return create(StartPlaybackResponseSchema, {
    videoId: video.videoId,
    contentId: input.content.contentId,
    sessionId: input.sessionId,
    manifestUrl: hls,
    hlsManifestUrl: hls,
    dashManifestUrl: url(video.dashManifestPath),
    qualities: video.videoFiles
      .filter((f) => Math.min(f.width, f.height) <= maxShortSide)
      .sort((a, b) => a.height * a.width - b.height * b.width)
      .map((f) => {
        const shortSide = Math.min(f.width, f.height);
        const quality = f.quality !== VideoQuality.VIDEO_QUALITY_UNSPECIFIED ? f.quality : qualityOfShortSide(shortSide);
        return { quality, url: url(f.storageLocation), bitrate: f.bitrate, resolution: `${f.width}x${f.height}`, label: shortSide === 2160 ? "4K" : `${shortSide}p`, codec: f.codec };
      }),
    subtitles: video.subtitles.map((s) => ({ language: s.language, label: s.label, url: url(s.storageLocation), closedCaptions: s.closedCaptions })),
    audioTracks: video.audioTracks.map((a) => ({ language: a.language, label: a.label, url: url(a.storageLocation), isDefault: a.isDefault, channels: a.channels })),
    trickplayUrl: url(video.trickplayVttPath),
    resumePosition: input.resumePosition,
    markers: video.markers,
    durationSeconds: video.durationSeconds,
    expiresAt: timestampFromMs(input.expiresAtMs),
    playbackToken: token,
  });
}
