import type { Interaction, TitleFeatures } from "./ranking/titles.js";

/** Where a profile got to in a video of a title (library's ProgressRecorded). */
export interface ProgressSignal {
  /** The event's id: breaks ties between events of the same instant, so any order gives one result. */
  eventId: string;
  /** When the library stored the position; the newest one wins, whatever the arrival order. */
  occurredAt: Date;
  profileId: string;
  contentId: string;
  videoId: string;
  positionSeconds: number;
  durationSeconds: number;
  /** position / duration, 0-1. */
  progress: number;
}

/** A profile watched a video of a title to the end (library's TitleCompleted). */
export interface CompletionSignal {
  eventId: string;
  occurredAt: Date;
  profileId: string;
  contentId: string;
  videoId: string;
}

/** What ranking knows about one profile and one title. */
export interface WatchSignal {
  profileId: string;
  contentId: string;
  /** The latest time the profile watched anything of the title. */
  lastWatchedAt: Date;
  /** The newest progress report, of the video of the title played last; absent when only a completion is known. */
  lastProgress?: { videoId: string; positionSeconds: number; durationSeconds: number; progress: number; at: Date };
  /** Whether the profile has watched a video of the title to the end at least once. */
  completed: boolean;
  /** The newest completion; a `lastProgress` after it means the profile started again. */
  lastCompletion?: { videoId: string; at: Date };
}

/** A profile rated a title (rating's ContentRated). */
export interface RatingSignal {
  eventId: string;
  occurredAt: Date;
  profileId: string;
  contentId: string;
  /** 1-5. */
  stars: number;
}

/** A profile added a title to My List, or removed it (library's MyListItemAdded / Removed). */
export interface MyListSignal {
  eventId: string;
  occurredAt: Date;
  profileId: string;
  contentId: string;
  listed: boolean;
}

/** A counted view (analytics' ViewCounted): what trending counts. */
export interface ViewSignal {
  eventId: string;
  occurredAt: Date;
  contentId: string;
}

/** What a client needs to draw a title's card; stored with the title so lists need no catalog call. */
export interface TitleCard {
  title: string;
  thumbnailUrl: string;
  backdropUrl: string;
  type: "MOVIE" | "TV_SHOW";
  /** The MaturityRating spelling, e.g. "PG_13". */
  rating: string;
  releaseYear: number;
  genres: string[];
  averageRating: number;
  durationMinutes: number;
  description: string;
}

/** The catalog's latest word on a title: recommendable with its features and card, or not (removed, draft). */
export interface CatalogTitle {
  contentId: string;
  /** The title's updated_at, or the removal's time, in ms: only a newer version replaces what is stored. */
  version: number;
  published?: { features: TitleFeatures; card: TitleCard };
}

export interface TrendingTitle {
  contentId: string;
  /** Views in the window. */
  views: number;
  /** Views weighted by recency (each halves every half-life). */
  score: number;
}

export interface TrendingQuery {
  windowMs: number;
  halfLifeMs: number;
  limit: number;
  genre?: string;
  /** Only titles for this age or younger. */
  maxAge?: number;
}

/**
 * The signals recommendation ranks with, and its copy of the catalog. Every write is idempotent
 * and order-safe: an event only replaces what an event that happened earlier wrote, so
 * redeliveries and late arrivals are harmless.
 */
export interface SignalStore {
  recordProgress(signal: ProgressSignal): Promise<void>;
  recordCompletion(signal: CompletionSignal): Promise<void>;
  recordRating(signal: RatingSignal): Promise<void>;
  recordMyList(signal: MyListSignal): Promise<void>;
  recordView(signal: ViewSignal): Promise<void>;
  recordTitle(title: CatalogTitle): Promise<void>;
  /** A profile's titles, most recently watched first. */
  signalsOf(profileId: string, limit: number): Promise<WatchSignal[]>;
  /** What the profile did with each title it touched, as preferences (ranking/weights.ts). */
  tasteOf(profileId: string, now: Date): Promise<Interaction[]>;
  /** Every profile's preferences, for a rebuild. */
  allInteractions(now: Date): Promise<Interaction[]>;
  /** Every published title. */
  publishedTitles(): Promise<{ features: TitleFeatures; card: TitleCard }[]>;
  /** Cards of the titles still published, by id. */
  cards(contentIds: string[]): Promise<Map<string, TitleCard>>;
  /** The most viewed published titles of the window, by recency-weighted views. */
  trending(query: TrendingQuery): Promise<TrendingTitle[]>;
}
