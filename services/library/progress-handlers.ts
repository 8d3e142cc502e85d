import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, type Client, type ServiceImpl } from "@connectrpc/connect";
import type { CatalogService } from "../../gen/cinemesh/catalog/v1/catalog_pb.js";
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { LibraryService, WatchHistoryEntrySchema } from "../../gen/cinemesh/library/v1/library_pb.js";
import { PROFILE_ID_HEADER, requireProfileIdHeader, requireUser } from "../../platform/rpc/context.js";
import type { ProfileCheck } from "../../platform/rpc/profile-access.js";
import type { VideoFactsLookup } from "../../platform/rpc/video-facts.js";
import { contentCard } from "../../platform/rpc/content-card.js";
import { limitOrDefault, pageWindow } from "../../platform/rpc/paging.js";
import type { TitleCard } from "./my-list.js";
import type { ProgressRecorder } from "./progress-recorder.js";
import type { WatchProgress } from "./watch-store.js";
import { continueWatching, progressFraction } from "./watch-views.js";

export interface ProgressHandlerDeps {
  recorder: ProgressRecorder;
  /** The profile's history, newest first, one entry per video, as of the latest reports. */
  history: (profileId: string) => Promise<WatchProgress[]>;
  /** The catalog's facts about a video as the calling profile (with its cap) sees it; null when it does not. */
  video: VideoFactsLookup;
  /** The caller's profile, checked (and remembered for a short while) with identity. */
  profiles: ProfileCheck;
  catalog: Client<typeof CatalogService>;
}

type ProgressRpcs = Pick<ServiceImpl<typeof LibraryService>, "reportProgress" | "getResumePosition" | "getWatchHistory" | "listContinueWatching">;

/** BatchGetContent takes at most this many ids. */
const CATALOG_BATCH = 100;

/** Watch progress, resume positions, history and continue watching; every one checks the profile against the caller. */
export function progressHandlers(deps: ProgressHandlerDeps): ProgressRpcs {
  const { recorder, profiles, catalog } = deps;
  // Catalog answers for the history's profile (maturity cap), whatever Profile-Id the caller sent.
  const asProfile = (profileId: string) => ({ headers: { [PROFILE_ID_HEADER]: profileId } });

  /** The entries with the catalog's titles, in order; titles the catalog no longer shows the profile are left out. */
  const hydrate = async (profileId: string, entries: readonly WatchProgress[]): Promise<MessageInitShape<typeof WatchHistoryEntrySchema>[]> => {
    const ids = [...new Set(entries.map((e) => e.contentId))];
    const cards = new Map<string, TitleCard>();
    for (let i = 0; i < ids.length; i += CATALOG_BATCH) {
      const { contents } = await catalog.batchGetContent({ contentIds: ids.slice(i, i + CATALOG_BATCH) }, asProfile(profileId));
      for (const c of contents) cards.set(c.contentId, c);
    }
    return entries.flatMap((e) => {
      const card = cards.get(e.contentId);
      return card === undefined ? [] : [entryMessage(e, card)];
    });
  };

  return {
    async reportProgress(req, ctx) {
      const claims = requireUser(ctx);
      const profile = await profiles(ctx, requireProfileIdHeader(ctx));
      const video = await deps.video(req.videoId, profile.maturityLevel);
      if (video === null) throw new ConnectError(`video ${req.videoId} not found`, Code.NotFound);
      await recorder.report({
        userId: claims.userId,
        profileId: profile.profileId,
        videoId: req.videoId,
        contentId: video.contentId,
        // A player's clock may run a second past its own idea of the runtime at the very end.
        positionSeconds: Math.min(req.position, req.duration),
        durationSeconds: req.duration,
        seasonNumber: video.seasonNumber,
        episodeNumber: video.episodeNumber,
        episodeTitle: video.episodeTitle,
      });
      return { success: true };
    },

    async getResumePosition(req, ctx) {
      await profiles(ctx, req.profileId);
      const current = await recorder.current(req.profileId, req.videoId);
      if (current === null) return { found: false, positionSeconds: 0, durationSeconds: 0, completed: false };
      // A finished video starts over.
      return { found: true, positionSeconds: current.completed ? 0 : current.positionSeconds, durationSeconds: current.durationSeconds, completed: current.completed };
    },

    async getWatchHistory(req, ctx) {
      await profiles(ctx, req.profileId);
      const window = pageWindow(req);
      const all = await deps.history(req.profileId);
      const page = all.slice(window.offset, window.offset + window.limit);
      return { history: await hydrate(req.profileId, page), totalCount: all.length };
    },

    async listContinueWatching(req, ctx) {
      await profiles(ctx, req.profileId);
      const limit = limitOrDefault(req.limit);
      const picks = continueWatching(await deps.history(req.profileId));
      const items: MessageInitShape<typeof WatchHistoryEntrySchema>[] = [];
      // Picks are one per title; titles the catalog hides are skipped, so read on until the limit is met.
      for (let i = 0; i < picks.length && items.length < limit; i += CATALOG_BATCH) {
        items.push(...(await hydrate(req.profileId, picks.slice(i, i + CATALOG_BATCH))));
      }
      return { items: items.slice(0, limit) };
    },
  };
}

function entryMessage(e: WatchProgress, card: TitleCard): MessageInitShape<typeof WatchHistoryEntrySchema> {
  return {
    profileId: e.profileId,
    videoId: e.videoId,
    contentId: e.contentId,
    title: card.title,
    thumbnailUrl: card.thumbnailUrl,
    progress: progressFraction(e),
    positionSeconds: e.positionSeconds,
    durationSeconds: e.durationSeconds,
    lastWatchedAt: timestampFromDate(e.lastWatchedAt),
    completed: e.completed,
    seasonNumber: e.seasonNumber,
    episodeNumber: e.episodeNumber,
    episodeTitle: e.episodeTitle,
    content: contentCard(card),
  };
}
