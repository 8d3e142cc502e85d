import { Code, ConnectError, type Client, type HandlerContext } from "@connectrpc/connect";
import type { CatalogService } from "../../gen/cinemesh/catalog/v1/catalog_pb.js";
import type { IdentityService } from "../../gen/cinemesh/identity/v1/identity_pb.js";
import type { Claims } from "../../platform/auth/tokens.js";
import type { Kv } from "../../platform/storage/kv.js";
import { requireOwnedProfile } from "../../platform/rpc/profile-access.js";

/**
 * How long a confirmed (login session, profile) pair is trusted without asking identity again. A
 * player sends a heartbeat every few seconds; this turns that into one identity call per viewer
 * per few minutes. A profile deleted meanwhile keeps counting at most this long.
 */
const PROFILE_CHECK_TTL_MS = 10 * 60_000;

/** A video never moves to another title, so its title id can be remembered long. */
const VIDEO_TITLE_TTL_MS = 60 * 60_000;

export interface Lookups {
  /** NOT_FOUND unless the profile belongs to the caller (identity, remembered per login session). */
  requireOwnedProfile(ctx: HandlerContext, claims: Claims, profileId: string): Promise<void>;
  /** The title of a video, NOT_FOUND when the catalog does not know the video (remembered). */
  contentIdOf(videoId: string): Promise<string>;
}

export function createLookups(deps: { kv: Kv; namespace: string; identity: Client<typeof IdentityService>; catalog: Client<typeof CatalogService> }): Lookups {
  const { kv, namespace } = deps;
  return {
    async requireOwnedProfile(ctx, claims, profileId) {
      // Keyed by the login session too: a token of another session (or user) never rides on this entry.
      const key = `${namespace}profile-ok:${claims.sessionId}:${profileId}`;
      if ((await kv.get(key)) === claims.userId) return;
      await requireOwnedProfile(deps.identity, ctx, profileId);
      await kv.set(key, claims.userId, { ttlMs: PROFILE_CHECK_TTL_MS });
    },

    async contentIdOf(videoId) {
      const key = `${namespace}video-title:${videoId}`;
      const cached = await kv.get(key);
      if (cached !== null) return cached;
      let contentId: string | undefined;
      try {
        contentId = (await deps.catalog.getVideo({ videoId })).video?.contentId;
      } catch (err) {
        if (ConnectError.from(err).code === Code.NotFound) throw new ConnectError(`video ${videoId} not found`, Code.NotFound);
        throw err;
      }
      if (!contentId) throw new ConnectError(`video ${videoId} not found`, Code.NotFound);
      await kv.set(key, contentId, { ttlMs: VIDEO_TITLE_TTL_MS });
      return contentId;
    },
  };
}
