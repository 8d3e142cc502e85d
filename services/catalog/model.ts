import { ContentStatus, VideoStatus } from "../../gen/cinemesh/catalog/v1/catalog_types_pb.js";
import { ContentType, MaturityRating, SubtitleFormat, VideoQuality } from "../../gen/cinemesh/common/v1/enums_pb.js";

/**
 * The catalog's domain types: what the store returns and the domain functions work on. The
 * enums are the platform's shared vocabulary (platform/domain/maturity.ts speaks MaturityRating);
 * request and response messages never reach this layer.
 */
export { ContentStatus, ContentType, MaturityRating, SubtitleFormat, VideoQuality, VideoStatus };

/** What an admin says of a title: the rest of a Title is ids, state, counters and media. */
export interface TitleDescription {
  title: string;
  description: string;
  type: ContentType;
  /** Display names, in the order the admin gave them. */
  genres: string[];
  releaseYear: number;
  durationMinutes: number;
  rating: MaturityRating;
  language: string;
  cast: string[];
  director: string;
  thumbnailUrl: string;
  backdropUrl: string;
  trailerUrl: string;
  /** The title in its original language; "" when it does not differ from `title`. */
  originalTitle: string;
  /** Descriptive tags (searched, never shown as genres), in the order the admin gave them. */
  keywords: string[];
}

/** A title's id in another catalog ("imdb", "tt0113277"). The source is lower case. */
export interface ExternalId {
  source: string;
  id: string;
}

/** An external id and the title that holds it. */
export interface ExternalIdHolder {
  externalId: ExternalId;
  contentId: string;
  /** The holder's display title, to name it in a refusal. */
  title: string;
}

/** A movie or TV show with everything its detail page shows. */
export interface Title extends TitleDescription {
  id: string;
  /** Set when the title is created, in the order given; each names this title only. */
  externalIds: ExternalId[];
  status: ContentStatus;
  popularity: number;
  averageRating: number;
  ratingCount: number;
  viewCount: number;
  /** TV shows: by season number. */
  seasons: Season[];
  /** TV shows: by (season, episode). */
  episodes: Video[];
  /** Movies: the feature, created with the title. */
  feature?: Video;
  createdAt: Date;
  updatedAt: Date;
  /** Set while PUBLISHED. */
  publishedAt?: Date;
}

export interface Season {
  id: string;
  contentId: string;
  number: number;
  title: string;
  description: string;
  /** 0 when unknown. */
  releaseYear: number;
  episodeCount: number;
}

export interface Video {
  id: string;
  contentId: string;
  /** Both set for an episode, both unset for a movie's feature. */
  seasonNumber?: number;
  episodeNumber?: number;
  title: string;
  description: string;
  /** 0 until the source is probed. */
  durationSeconds: number;
  status: VideoStatus;
  renditions: Rendition[];
  subtitles: SubtitleTrack[];
  audioTracks: AudioTrack[];
  markers: Markers;
  thumbnailUrl: string;
  hlsManifestPath: string;
  dashManifestPath: string;
  trickplayVttPath: string;
  previewPath: string;
  /** "" until renditions are recorded. */
  encodingJobId: string;
  createdAt: Date;
  updatedAt: Date;
}

/** Seconds from the start; an absent field is an absent marker. */
export interface Markers {
  introStart?: number;
  introEnd?: number;
  creditsStart?: number;
  creditsEnd?: number;
}

export interface Rendition {
  id: string;
  quality: VideoQuality;
  codec: string;
  bitrate: number;
  peakBitrate: number;
  resolution: string;
  width: number;
  height: number;
  frameRate: number;
  storageLocation: string;
  sizeBytes: number;
}

export interface SubtitleTrack {
  id: string;
  videoId: string;
  language: string;
  label: string;
  format: SubtitleFormat;
  storageLocation: string;
  closedCaptions: boolean;
}

export interface AudioTrack {
  id: string;
  language: string;
  label: string;
  codec: string;
  channels: number;
  bitrate: number;
  storageLocation: string;
  isDefault: boolean;
}

/** A genre with its number of published titles (for one viewer). */
export interface Genre {
  name: string;
  slug: string;
  count: number;
}

/** Published titles of one genre and one rating: the unfiltered counts behind ListGenres. */
export interface GenreRatingCount {
  name: string;
  slug: string;
  rating: MaturityRating;
  count: number;
}

/** One row of a category page, before paging: enough to filter by maturity and to hydrate. */
export interface CategoryEntry {
  id: string;
  rating: MaturityRating;
}

export const SORT_KEYS = ["popularity", "newest", "rating", "title"] as const;
export type SortKey = (typeof SORT_KEYS)[number];

/** Names of the Content fields a change touched, as the events name them (proto field names). */
export type TitleField =
  | "title"
  | "description"
  | "genres"
  | "release_year"
  | "duration_minutes"
  | "rating"
  | "language"
  | "cast"
  | "director"
  | "thumbnail_url"
  | "backdrop_url"
  | "trailer_url"
  | "original_title"
  | "keywords"
  | "status"
  | "seasons"
  | "episodes"
  | "video";

/** What members' view of the catalog learns from a committed change (written to the outbox with it). */
export type CatalogEvent =
  | { kind: "published"; title: Title }
  | { kind: "updated"; title: Title; changed: TitleField[] }
  | { kind: "removed"; contentId: string; deleted: boolean };
