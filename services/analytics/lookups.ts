import { Code, ConnectError, type Client, type HandlerContext } from "@connectrpc/connect";
import type { CatalogService } from "../../gen/cinemesh/catalog/v1/catalog_pb.js";
import type { MaturityRating } from "../../gen/cinemesh/common/v1/enums_pb.js";
import type { CheckProfileResponse, IdentityService } from "../../gen/cinemesh/identity/v1/identity_pb.js";
import type { Kv } from "../../platform/storage/kv.js";
import { cachedProfileCheck } from "../../platform/rpc/profile-access.js";
import { cachedVideoFacts } from "../../platform/rpc/video-facts.js";

export interface Lookups {
  /** The caller's profile, NOT_FOUND unless it belongs to the caller (platform/rpc/profile-access.ts, remembered per login session). */
  requireOwnedProfile(ctx: HandlerContext, profileId: string): Promise<CheckProfileResponse>;
  /**
   * The title of a video, NOT_FOUND when the catalog does not show the video to the calling
   * profile or its title is above `cap` (platform/rpc/video-facts.ts, remembered for `videoTtlMs`).
   */
  contentIdOf(videoId: string, cap?: MaturityRating): Promise<string>;
}

export function createLookups(deps: {
  kv: Kv;
  namespace: string;
  videoTtlMs: number;
  identity: Client<typeof IdentityService>;
  catalog: Client<typeof CatalogService>;
}): Lookups {
  const { kv, namespace } = deps;
  // One identity call per viewer per minute however often the player sends heartbeats.
  const profiles = cachedProfileCheck({ identity: deps.identity, kv, keyPrefix: namespace });
  const videos = cachedVideoFacts({ catalog: deps.catalog, kv, keyPrefix: namespace, ttlMs: deps.videoTtlMs });
  return {
    requireOwnedProfile: (ctx, profileId) => profiles(ctx, profileId),

    async contentIdOf(videoId, cap) {
      const facts = await videos(videoId, cap);
      if (facts === null) throw new ConnectError(`video ${videoId} not found`, Code.NotFound);
      return facts.contentId;
    },
  };
}
