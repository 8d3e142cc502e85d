import type {
  CreateContentRequest,
  RecordRenditionsRequest,
  UpdateContentRequest,
} from "../../gen/cinemesh/catalog/v1/catalog_pb.js";
import type { ExternalId as ExternalIdMessage, Subtitle, VideoMarkers } from "../../gen/cinemesh/catalog/v1/catalog_types_pb.js";
import { invalid } from "./errors.js";
import { SORT_KEYS, type ExternalId, type Markers, type SortKey } from "./model.js";
import type { TitleInput, TitlePatch } from "./titles.js";
import type { EncodingReport, SubtitleInput } from "./videos.js";

/**
 * Request messages → domain inputs. The proto rules (lengths, ranges, enums, URIs) have already
 * been enforced by the validation interceptor; what is left here are defaults and the rules a
 * field-level annotation cannot express.
 */

export function sortKey(sortBy: string): SortKey {
  return (SORT_KEYS as readonly string[]).includes(sortBy) ? (sortBy as SortKey) : "popularity";
}

export function titleInput(req: CreateContentRequest): TitleInput {
  return {
    title: req.title,
    description: req.description,
    type: req.type,
    genres: req.genres,
    releaseYear: req.releaseYear,
    durationMinutes: req.durationMinutes,
    rating: req.rating,
    language: req.language || "en",
    cast: req.cast,
    director: req.director,
    thumbnailUrl: req.thumbnailUrl,
    backdropUrl: req.backdropUrl,
    trailerUrl: req.trailerUrl,
    originalTitle: req.originalTitle,
    keywords: req.keywords,
    externalIds: externalIds(req.externalIds),
    publish: req.publish,
  };
}

/** Present fields only; repeated fields replace when non-empty, `clear_cast` and `clear_keywords` empty theirs. */
export function titlePatch(req: UpdateContentRequest): TitlePatch {
  if (req.clearCast && req.cast.length > 0) throw invalid("clear_cast: cannot both clear and replace the cast");
  if (req.clearKeywords && req.keywords.length > 0) throw invalid("clear_keywords: cannot both clear and replace the keywords");
  return {
    title: req.title,
    description: req.description,
    genres: req.genres.length > 0 ? req.genres : undefined,
    releaseYear: req.releaseYear,
    rating: req.rating,
    language: req.language,
    cast: req.clearCast ? [] : req.cast.length > 0 ? req.cast : undefined,
    director: req.director,
    durationMinutes: req.durationMinutes,
    thumbnailUrl: req.thumbnailUrl,
    backdropUrl: req.backdropUrl,
    trailerUrl: req.trailerUrl,
    originalTitle: req.originalTitle,
    keywords: req.clearKeywords ? [] : req.keywords.length > 0 ? req.keywords : undefined,
    status: req.status,
  };
}

export function externalIds(ids: readonly ExternalIdMessage[]): ExternalId[] {
  return ids.map((x) => ({ source: x.source, id: x.id }));
}

export function markers(m: VideoMarkers | undefined): Markers {
  return {
    introStart: m?.introStartSeconds,
    introEnd: m?.introEndSeconds,
    creditsStart: m?.creditsStartSeconds,
    creditsEnd: m?.creditsEndSeconds,
  };
}

export function subtitleInput(s: Subtitle): SubtitleInput {
  return { language: s.language, label: s.label, format: s.format, storageLocation: s.storageLocation, closedCaptions: s.closedCaptions };
}

export function encodingReport(req: RecordRenditionsRequest): EncodingReport {
  return {
    encodingJobId: req.encodingJobId,
    durationSeconds: req.durationSeconds,
    renditions: req.renditions.map((r) => ({
      quality: r.quality,
      codec: r.codec,
      bitrate: r.bitrate,
      peakBitrate: r.peakBitrate,
      resolution: r.resolution,
      width: r.width,
      height: r.height,
      frameRate: r.frameRate,
      storageLocation: r.storageLocation,
      sizeBytes: Number(r.sizeBytes),
    })),
    audioTracks: req.audioTracks.map((a) => ({
      language: a.language,
      label: a.label,
      codec: a.codec,
      channels: a.channels,
      bitrate: a.bitrate,
      storageLocation: a.storageLocation,
      isDefault: a.isDefault,
    })),
    subtitles: req.subtitles.map(subtitleInput),
    hlsManifestPath: req.hlsManifestPath,
    dashManifestPath: req.dashManifestPath,
    trickplayVttPath: req.trickplayVttPath,
    previewPath: req.previewPath,
    thumbnailUrl: req.thumbnailUrl,
  };
}
