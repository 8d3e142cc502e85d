import type { GenreName } from "./genres.js";
import type {
  AudioTrack,
  CatalogEvent,
  CategoryEntry,
  ContentStatus,
  ContentType,
  ExternalId,
  ExternalIdHolder,
  GenreRatingCount,
  Markers,
  MaturityRating,
  Rendition,
  SortKey,
  SubtitleTrack,
  Title,
  TitleDescription,
  Video,
  VideoStatus,
} from "./model.js";

/**
 * The catalog's store of record. Reads return domain types; every change runs inside `write`, one
 * transaction, together with the events announcing it (transactional outbox).
 */
export interface CatalogStore {
  /** Full titles (seasons, episodes, feature) by id, read from one snapshot; unknown ids are absent. */
  loadTitles(ids: readonly string[]): Promise<Map<string, Title>>;
  /** Every published title of a genre (of every genre when `slug` is undefined), in the sort order, as (id, rating). */
  categoryEntries(slug: string | undefined, sort: SortKey): Promise<CategoryEntry[]>;
  /** Published titles counted per genre and rating. */
  genreRatingCounts(): Promise<GenreRatingCount[]>;
  /** One page of titles, most recently updated first, with the number of matching titles. */
  pageTitles(query: TitlePageQuery): Promise<{ ids: string[]; total: number }>;
  /** The title a video belongs to. */
  videoOwner(videoId: string): Promise<string | undefined>;
  /** The titles (drafts too) holding any of these external ids, one entry per id held, in no order. */
  externalIdHolders(ids: readonly ExternalId[]): Promise<ExternalIdHolder[]>;
  /** Runs `fn` in one transaction: all of its changes and events commit, or none. */
  write<T>(fn: (tx: CatalogWriter) => Promise<T>): Promise<T>;
}

export interface TitlePageQuery {
  status?: ContentStatus;
  /** Only titles with one of these ratings; any rating when absent. */
  ratings?: MaturityRating[];
  offset: number;
  limit: number;
}

/** The fields of a title an admin edits (type excepted: it never changes), genres resolved to slugs. */
export interface TitleFields extends Omit<TitleDescription, "type" | "genres"> {
  genres: GenreName[];
  status: ContentStatus;
}

export interface NewTitle extends TitleFields {
  id: string;
  type: ContentType;
}

export interface NewSeason {
  id: string;
  contentId: string;
  number: number;
  title: string;
  description: string;
  /** 0 when unknown. */
  releaseYear: number;
}

export interface NewVideo {
  id: string;
  contentId: string;
  /** Both set for an episode (its season must exist), both unset for a movie's feature. */
  seasonNumber?: number;
  episodeNumber?: number;
  title: string;
  description: string;
}

/** What an encoding job produced for a video (subtitles go through upsertSubtitle). */
export interface EncodingOutcome {
  encodingJobId: string;
  durationSeconds: number;
  renditions: Rendition[];
  audioTracks: AudioTrack[];
  hlsManifestPath: string;
  dashManifestPath: string;
  trickplayVttPath: string;
  previewPath: string;
  thumbnailUrl: string;
}

/** Changes inside one transaction. Locks are held until it ends. */
export interface CatalogWriter {
  /** Locks the title against concurrent changes and returns it; undefined when it does not exist. */
  lockTitle(id: string): Promise<Title | undefined>;
  /** Locks the title owning the video and returns both; undefined when the video does not exist. */
  lockVideo(videoId: string): Promise<{ title: Title; video: Video } | undefined>;
  /** The title as this transaction sees it (after its own changes). */
  loadTitle(id: string): Promise<Title>;
  insertTitle(title: NewTitle): Promise<void>;
  /**
   * Records the ids (distinct) as the title's, in order. Returns those another title holds
   * already, which are not recorded: the caller must then abort the transaction.
   */
  claimExternalIds(contentId: string, ids: readonly ExternalId[]): Promise<ExternalIdHolder[]>;
  /** Changes the given fields and marks the title updated; publishing stamps published_at. */
  updateTitle(id: string, fields: Partial<TitleFields>): Promise<void>;
  /** Keeps a movie's feature named after the movie. */
  renameFeature(videoId: string, title: string): Promise<void>;
  /** Marks the title updated (its seasons, episodes or videos changed). */
  touchTitle(id: string): Promise<void>;
  deleteTitle(id: string): Promise<void>;
  /** False (and nothing written) when the show already has that season number. */
  insertSeason(season: NewSeason): Promise<boolean>;
  /** False (and nothing written) when the slot (feature, or season × episode) is taken. */
  insertVideo(video: NewVideo): Promise<boolean>;
  setMarkers(videoId: string, markers: Markers): Promise<void>;
  recordEncoding(videoId: string, outcome: EncodingOutcome): Promise<void>;
  /** Sets the media status of a video (PROCESSING or FAILED while no renditions are recorded for the job). */
  setVideoStatus(videoId: string, status: VideoStatus): Promise<void>;
  /** Adds the subtitle or replaces the one with the same language and closed_captions flag. */
  upsertSubtitle(subtitle: SubtitleTrack): Promise<SubtitleTrack>;
  /** Records the event in the outbox; it is published only if the transaction commits. */
  emit(event: CatalogEvent): Promise<void>;
}
