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

/**
 * The watch signals recommendation ranks with. Every write is idempotent and order-safe: an event
 * only replaces what an event that happened earlier wrote, so redeliveries and late arrivals are harmless.
 */
export interface WatchSignalStore {
  recordProgress(signal: ProgressSignal): Promise<void>;
  recordCompletion(signal: CompletionSignal): Promise<void>;
  /** A profile's titles, most recently watched first. */
  signalsOf(profileId: string, limit: number): Promise<WatchSignal[]>;
}
