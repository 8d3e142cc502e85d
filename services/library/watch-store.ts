/** Where a profile stopped in one video, as stored (titles and artwork come from the catalog). */
export interface WatchProgress {
  profileId: string;
  videoId: string;
  contentId: string;
  /** Seconds from the start. */
  positionSeconds: number;
  /** Runtime in seconds, as the player reported it. */
  durationSeconds: number;
  completed: boolean;
  lastWatchedAt: Date;
  /** Episodes only. */
  seasonNumber?: number;
  /** Episodes only. */
  episodeNumber?: number;
  /** Episodes only: the episode's own title ("" otherwise). */
  episodeTitle: string;
}

/**
 * Watch progress and history (seed §7.3 / seeds 002 `watch_progress` and `watch_history`): the
 * progress of a (profile, video), and the profile's history newest first with each video once.
 */
export interface WatchStore {
  /** The stored progress of one video, or null when the profile never played it. */
  progress(profileId: string, videoId: string): Promise<WatchProgress | null>;
  /**
   * Writes the progress and moves the video to the top of the history. `previousWatchedAt` is the
   * last-watched time the video is filed under in the history (null: not there yet); the new row is
   * written before the old one goes, so a failure in between leaves a duplicate (readers keep the
   * newest, see `dropStale`) and never a missing entry. Idempotent.
   */
  save(progress: WatchProgress, previousWatchedAt: Date | null): Promise<void>;
  /** The profile's history, newest first (may hold stale duplicates of a video; see `save`). */
  history(profileId: string): AsyncIterable<WatchProgress>;
  /** Removes a stale history row a reader found behind a newer row of the same video. */
  dropStale(profileId: string, videoId: string, watchedAt: Date): Promise<void>;
}
