import { Code, ConnectError, type Client } from "@connectrpc/connect";
import type { CatalogService } from "../../gen/cinemesh/catalog/v1/catalog_pb.js";
import type { MaturityRating } from "../../gen/cinemesh/common/v1/enums_pb.js";

/** What progress reports need to know about a video, from the catalog. */
export interface VideoFacts {
  videoId: string;
  contentId: string;
  /** The title's rating: a cached video is checked against each reporting profile's cap. */
  rating: MaturityRating;
  seasonNumber?: number;
  episodeNumber?: number;
  /** Episodes only ("" for a movie's feature). */
  episodeTitle: string;
}

export interface VideoFactsOptions {
  ttlMs: number;
  /** Entries kept at most; the oldest go first. */
  maxEntries?: number;
  now?: () => number;
}

/**
 * The catalog's GetVideo behind a small in-process cache: a viewer reports progress every few
 * seconds, and the facts used here (title, rating, episode numbers) change rarely, so one catalog
 * call per video per TTL per replica is enough. Only found videos are cached: a video the
 * catalog hid from one profile (maturity cap) may be visible to another. Resolves to null for a
 * video the catalog does not show to the calling profile.
 */
export function cachedVideoFacts(catalog: Client<typeof CatalogService>, options: VideoFactsOptions): (videoId: string) => Promise<VideoFacts | null> {
  const now = options.now ?? Date.now;
  const max = options.maxEntries ?? 10_000;
  const entries = new Map<string, { facts: VideoFacts; expiresAt: number }>();

  return async (videoId) => {
    const hit = entries.get(videoId);
    if (hit !== undefined && hit.expiresAt > now()) return hit.facts;
    entries.delete(videoId);
    let facts: VideoFacts;
    try {
      const { video, content } = await catalog.getVideo({ videoId });
      if (video === undefined || content === undefined) return null;
      facts = {
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
    if (options.ttlMs > 0) {
      if (entries.size >= max) entries.delete(entries.keys().next().value!);
      entries.set(videoId, { facts, expiresAt: now() + options.ttlMs });
    }
    return facts;
  };
}
