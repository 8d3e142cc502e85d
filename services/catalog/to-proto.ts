import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import {
  AudioTrackSchema,
  ContentSchema,
  ExternalIdSchema,
  GenreSchema,
  SeasonSchema,
  SubtitleSchema,
  VideoFileSchema,
  VideoMarkersSchema,
  VideoSchema,
  type Content,
  type Genre as GenreMessage,
  type Season as SeasonMessage,
  type Subtitle,
  type Video as VideoMessage,
} from "../../gen/cinemesh/catalog/v1/catalog_types_pb.js";
import { ExternalIdMatchSchema, type ExternalIdMatch } from "../../gen/cinemesh/catalog/v1/catalog_pb.js";
import { ContentSummarySchema, type ContentSummary } from "../../gen/cinemesh/common/v1/content_pb.js";
import { ContentType, type ExternalId, type ExternalIdHolder, type Genre, type Season, type SubtitleTrack, type Title, type Video } from "./model.js";

/** Which parts of a title a response carries. */
export interface ContentParts {
  seasons: boolean;
  /** Episodes (shows) and the feature (movies). */
  videos: boolean;
  /**
   * Object-store keys and encoding job ids: for admins and internal callers (playback signs the
   * keys). Members' detail pages leave them out; they grant nothing, but they are not the members' business.
   */
  internal: boolean;
  /**
   * The title's ids in other catalogs: admin and importer bookkeeping, and what consumers of the
   * events key on. The proto says nothing of members; their pages have no use for them.
   */
  externalIds: boolean;
}

export const DETAIL: ContentParts = { seasons: true, videos: true, internal: true, externalIds: true };
export const LISTED: ContentParts = { seasons: true, videos: false, internal: false, externalIds: false };
export const CARD: ContentParts = { seasons: false, videos: false, internal: false, externalIds: false };

export function contentMessage(t: Title, parts: ContentParts): Content {
  return create(ContentSchema, {
    contentId: t.id,
    title: t.title,
    description: t.description,
    type: t.type,
    genres: t.genres,
    releaseYear: t.releaseYear,
    durationMinutes: t.durationMinutes,
    rating: t.rating,
    language: t.language,
    cast: t.cast,
    director: t.director,
    thumbnailUrl: t.thumbnailUrl,
    backdropUrl: t.backdropUrl,
    trailerUrl: t.trailerUrl,
    status: t.status,
    popularity: t.popularity,
    averageRating: t.averageRating,
    ratingCount: BigInt(t.ratingCount),
    viewCount: BigInt(t.viewCount),
    seasons: parts.seasons ? t.seasons.map(seasonMessage) : [],
    episodes: parts.videos ? t.episodes.map((v) => videoMessage(v, parts.internal)) : [],
    video: parts.videos && t.feature ? videoMessage(t.feature, parts.internal) : undefined,
    createdAt: timestampFromDate(t.createdAt),
    updatedAt: timestampFromDate(t.updatedAt),
    publishedAt: t.publishedAt ? timestampFromDate(t.publishedAt) : undefined,
    originalTitle: t.originalTitle,
    keywords: t.keywords,
    externalIds: parts.externalIds ? t.externalIds.map(externalIdMessage) : [],
  });
}

function externalIdMessage(x: ExternalId) {
  return create(ExternalIdSchema, { source: x.source, id: x.id });
}

export function externalIdMatchMessage(h: ExternalIdHolder): ExternalIdMatch {
  return create(ExternalIdMatchSchema, { externalId: externalIdMessage(h.externalId), contentId: h.contentId });
}

/** The tile of a title in a list. */
export function summaryMessage(t: Title): ContentSummary {
  return create(ContentSummarySchema, {
    contentId: t.id,
    title: t.title,
    type: t.type,
    thumbnailUrl: t.thumbnailUrl,
    backdropUrl: t.backdropUrl,
    rating: t.rating,
    releaseYear: t.releaseYear,
    genres: t.genres,
    averageRating: t.averageRating,
    durationMinutes: t.type === ContentType.MOVIE ? t.durationMinutes : 0,
    description: t.description,
  });
}

export function seasonMessage(s: Season): SeasonMessage {
  return create(SeasonSchema, {
    seasonId: s.id,
    contentId: s.contentId,
    seasonNumber: s.number,
    title: s.title,
    description: s.description,
    releaseYear: s.releaseYear,
    episodeCount: s.episodeCount,
  });
}

export function videoMessage(v: Video, internal: boolean): VideoMessage {
  const m = v.markers;
  const hasMarkers = Object.values(m).some((x) => x !== undefined);
  const path = (p: string) => (internal ? p : "");
  return create(VideoSchema, {
    videoId: v.id,
    contentId: v.contentId,
    seasonNumber: v.seasonNumber,
    episodeNumber: v.episodeNumber,
    title: v.title,
    description: v.description,
    durationSeconds: v.durationSeconds,
    status: v.status,
    videoFiles: v.renditions.map((r) =>
      create(VideoFileSchema, {
        fileId: r.id,
        videoId: v.id,
        quality: r.quality,
        codec: r.codec,
        bitrate: r.bitrate,
        peakBitrate: r.peakBitrate,
        resolution: r.resolution,
        width: r.width,
        height: r.height,
        frameRate: r.frameRate,
        storageLocation: path(r.storageLocation),
        sizeBytes: BigInt(r.sizeBytes),
      }),
    ),
    subtitles: v.subtitles.map((s) => subtitleMessage(s, internal)),
    audioTracks: v.audioTracks.map((a) =>
      create(AudioTrackSchema, {
        trackId: a.id,
        videoId: v.id,
        language: a.language,
        label: a.label,
        codec: a.codec,
        channels: a.channels,
        bitrate: a.bitrate,
        storageLocation: path(a.storageLocation),
        isDefault: a.isDefault,
      }),
    ),
    markers: hasMarkers
      ? create(VideoMarkersSchema, {
          introStartSeconds: m.introStart,
          introEndSeconds: m.introEnd,
          creditsStartSeconds: m.creditsStart,
          creditsEndSeconds: m.creditsEnd,
        })
      : undefined,
    thumbnailUrl: v.thumbnailUrl,
    hlsManifestPath: path(v.hlsManifestPath),
    dashManifestPath: path(v.dashManifestPath),
    trickplayVttPath: path(v.trickplayVttPath),
    previewPath: path(v.previewPath),
    encodingJobId: path(v.encodingJobId),
    createdAt: timestampFromDate(v.createdAt),
    updatedAt: timestampFromDate(v.updatedAt),
  });
}

export function subtitleMessage(s: SubtitleTrack, internal: boolean): Subtitle {
  return create(SubtitleSchema, {
    subtitleId: s.id,
    videoId: s.videoId,
    language: s.language,
    label: s.label,
    format: s.format,
    storageLocation: internal ? s.storageLocation : "",
    closedCaptions: s.closedCaptions,
  });
}

export function genreMessage(g: Genre): GenreMessage {
  return create(GenreSchema, { name: g.name, slug: g.slug, contentCount: g.count });
}
