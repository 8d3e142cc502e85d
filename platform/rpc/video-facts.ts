import { Code, ConnectError, type Client } from "@connectrpc/connect";
import type { CatalogService } from "../../gen/cinemesh/catalog/v1/catalog_pb.js";
import type { MaturityRating } from "../../gen/cinemesh/common/v1/enums_pb.js";
import { isAllowed } from "../domain/maturity.js";
import type { Kv } from "../storage/kv.js";

/** What services that receive reports about a video (progress, heartbeats) need to know of it, from the catalog. */
export interface VideoFacts {
  videoId: string;
  contentId: string;
  /** The title's rating: a remembered video is checked against each asking profile's cap. */
  rating: MaturityRating;
  seasonNumber?: number;
  episodeNumber?: number;
  /** Episodes only ("" for a movie's feature). */
  episodeTitle: string;
}

/**
 * The facts of a video as a profile with maturity cap `cap` sees them; null when the catalog does
 * not show the video to the calling profile, or its title is above `cap` (no cap: not checked).
 */
export type VideoFactsLookup = (videoId: string, cap?: MaturityRating) => Promise<VideoFacts | null>;

/** How long a video's facts are remembered unless the service is told otherwise. */
export const VIDEO_FACTS_TTL_MS = 300_000;

/**
 * The catalog's GetVideo remembered in kv (shared by the replicas when kv is Redis): viewers report
 * every few seconds and these facts change rarely, so one catalog call per video per TTL is
 * enough; a title unpublished or re-rated shows within the TTL. Only found videos are remembered:
 * a video the catalog hid from one profile (maturity cap) may be visible to another. A remembered
 * one was fetched for some profile, so the asking profile's cap is applied on every answer.
 * `ttlMs` 0 remembers nothing.
 */
export function cachedVideoFacts(deps: { catalog: Client<typeof CatalogService>; kv: Kv; keyPrefix: string; ttlMs?: number }): VideoFactsLookup {
  const ttlMs = deps.ttlMs ?? VIDEO_FACTS_TTL_MS;
  const shown = (facts: VideoFacts | null, cap: MaturityRating | undefined) => (facts !== null && (cap === undefined || isAllowed(facts.rating, cap)) ? facts : null);
  return async (videoId, cap) => {
    const key = `${deps.keyPrefix}video-facts:${videoId}`;
    const cached = ttlMs > 0 ? await deps.kv.get(key) : null;
    if (cached !== null) return shown(JSON.parse(cached) as VideoFacts, cap);
    const facts = await fetchFacts(deps.catalog, videoId);
    if (facts !== null && ttlMs > 0) await deps.kv.set(key, JSON.stringify(facts), { ttlMs });
    return shown(facts, cap);
  };
}

async function fetchFacts(catalog: Client<typeof CatalogService>, videoId: string): Promise<VideoFacts | null> {
  try {
    const { video, content } = await catalog.getVideo({ videoId });
    if (video === undefined || content === undefined) return null;
    return {
      videoId,
      contentId: content.contentId,
      rating: content.rating,
      seasonNumber: video.seasonNumber,
      episodeNumber: video.episodeNumber,
      episodeTitle: video.seasonNumber === undefined ? "" : video.title,
    };
  } catch (err) {
    if (ConnectError.from(err).code === Code.NotFound) return null;
    throw err;
  }
}
