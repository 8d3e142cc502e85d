import type { TableDefinition, WideColumnStore } from "../../platform/storage/widecolumn.js";
import type { WatchProgress, WatchStore } from "./watch-store.js";

type WatchRow = {
  profile_id: string;
  video_id: string;
  content_id: string;
  position_seconds: number;
  duration_seconds: number;
  completed: boolean;
  last_watched_at: Date;
  season_number: number | null;
  episode_number: number | null;
  episode_title: string;
};

const COLUMNS = {
  profile_id: "uuid",
  video_id: "uuid",
  content_id: "uuid",
  position_seconds: "int",
  duration_seconds: "int",
  completed: "boolean",
  last_watched_at: "timestamp",
  season_number: "int",
  episode_number: "int",
  episode_title: "text",
} as const;

/** Resume positions: one row per (profile, video) (seeds 002 `watch_progress`). */
const WATCH_PROGRESS: TableDefinition<WatchRow, "profile_id", "video_id"> = {
  name: "watch_progress",
  columns: COLUMNS,
  partitionKey: ["profile_id"],
  clusteringKey: [{ column: "video_id", order: "asc" }],
};

/**
 * History: one partition per profile, newest first (seeds 002 `watch_history`). A re-watched video
 * moves: its row under the old time is deleted once the row under the new time is written.
 */
const WATCH_HISTORY: TableDefinition<WatchRow, "profile_id", "last_watched_at" | "video_id"> = {
  name: "watch_history",
  columns: COLUMNS,
  partitionKey: ["profile_id"],
  clusteringKey: [
    { column: "last_watched_at", order: "desc" },
    { column: "video_id", order: "asc" },
  ],
};

const HISTORY_PAGE = 200;

/** Progress and history on the wide-column port (ScyllaDB in production, Postgres tables embedded). */
export async function createWideColumnWatchStore(wide: WideColumnStore): Promise<WatchStore> {
  const progress = await wide.table(WATCH_PROGRESS);
  const history = await wide.table(WATCH_HISTORY);
  return {
    async progress(profileId, videoId) {
      const row = await progress.get({ profile_id: profileId, video_id: videoId });
      return row === null ? null : fromRow(row);
    },
    async save(p, previousWatchedAt) {
      const row = toRow(p);
      await Promise.all([progress.put(row), history.put(row)]);
      if (previousWatchedAt !== null && previousWatchedAt.getTime() !== p.lastWatchedAt.getTime()) {
        await history.delete({ profile_id: p.profileId, last_watched_at: previousWatchedAt, video_id: p.videoId });
      }
    },
    async *history(profileId) {
      let pageToken: string | undefined;
      do {
        const page = await history.query({ profile_id: profileId }, { limit: HISTORY_PAGE, pageToken });
        for (const row of page.rows) yield fromRow(row);
        pageToken = page.nextPageToken;
      } while (pageToken !== undefined);
    },
    async dropStale(profileId, videoId, watchedAt) {
      await history.delete({ profile_id: profileId, last_watched_at: watchedAt, video_id: videoId });
    },
  };
}

function toRow(p: WatchProgress): WatchRow {
  return {
    profile_id: p.profileId,
    video_id: p.videoId,
    content_id: p.contentId,
    position_seconds: p.positionSeconds,
    duration_seconds: p.durationSeconds,
    completed: p.completed,
    last_watched_at: p.lastWatchedAt,
    season_number: p.seasonNumber ?? null,
    episode_number: p.episodeNumber ?? null,
    episode_title: p.episodeTitle,
  };
}

function fromRow(r: WatchRow): WatchProgress {
  return {
    profileId: r.profile_id,
    videoId: r.video_id,
    contentId: r.content_id,
    positionSeconds: r.position_seconds,
    durationSeconds: r.duration_seconds,
    completed: r.completed,
    lastWatchedAt: r.last_watched_at,
    seasonNumber: r.season_number ?? undefined,
    episodeNumber: r.episode_number ?? undefined,
    episodeTitle: r.episode_title ?? "",
  };
}
