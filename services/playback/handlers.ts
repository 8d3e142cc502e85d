import { randomUUID } from "node:crypto";
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, type Client, type HandlerContext, type ServiceImpl } from "@connectrpc/connect";
import type { Logger } from "pino";
import type { CatalogService } from "../../gen/cinemesh/catalog/v1/catalog_pb.js";
import { PlaybackStartedSchema } from "../../gen/cinemesh/events/v1/playback_events_pb.js";
import type { IdentityService } from "../../gen/cinemesh/identity/v1/identity_pb.js";
import type { LibraryService } from "../../gen/cinemesh/library/v1/library_pb.js";
import type { PlaybackService } from "../../gen/cinemesh/playback/v1/playback_pb.js";
import type { DomainEvents } from "../../platform/events/domain-events.js";
import { PROFILE_ID_HEADER, requireProfileIdHeader, requireUser } from "../../platform/rpc/context.js";
import { requireOwnedProfile } from "../../platform/rpc/profile-access.js";
import type { PlaybackConfig } from "./config.js";
import { entitle, PlaybackDenied } from "./entitlement.js";
import { playbackSession } from "./session.js";

export interface PlaybackDeps {
  config: PlaybackConfig;
  identity: Client<typeof IdentityService>;
  catalog: Client<typeof CatalogService>;
  library: Client<typeof LibraryService>;
  events: DomainEvents;
  logger: Logger;
  now?: () => number;
}

export function playbackHandlers(deps: PlaybackDeps): ServiceImpl<typeof PlaybackService> {
  const now = deps.now ?? Date.now;
  return {
    async startPlayback(req, ctx) {
      const claims = requireUser(ctx);
      const profileId = requireProfileIdHeader(ctx);
      // The three lookups run at once; the profile's answer is awaited first, so a profile of
      // another account is NOT_FOUND before anything about the video is said.
      const profile = requireOwnedProfile(deps.identity, ctx, profileId);
      // Without the profile, the catalog does not hide a title above the profile's maturity cap:
      // that check is ours, so it can say PERMISSION_DENIED and why instead of NOT_FOUND.
      const found = deps.catalog.getVideo({ videoId: req.videoId }, { headers: { [PROFILE_ID_HEADER]: "" } });
      const resume = resumePosition(deps, ctx, profileId, req.videoId);
      found.catch(() => undefined);
      const owner = await profile;
      const { video, content } = await found;
      if (video === undefined || content === undefined) throw new ConnectError(`video ${req.videoId} not found`, Code.NotFound);
      let maxShortSide: number;
      try {
        ({ maxShortSide } = entitle(owner, content, video));
      } catch (err) {
        if (err instanceof PlaybackDenied) throw new ConnectError(err.message, err.code);
        throw err;
      }
      const session = playbackSession({
        video,
        content,
        maxShortSide,
        resumePosition: await resume,
        sessionId: randomUUID(),
        signingKey: deps.config.signingKey,
        mediaBaseUrl: deps.config.mediaBaseUrl,
        expiresAtMs: now() + deps.config.urlTtlSeconds * 1000,
      });
      const started = create(PlaybackStartedSchema, {
        meta: deps.events.meta(),
        sessionId: session.sessionId,
        userId: claims.userId,
        profileId,
        videoId: video.videoId,
        contentId: content.contentId,
        plan: owner.plan,
        maxQuality: session.qualities.at(-1)?.quality,
        resumePosition: session.resumePosition,
      });
      // Nothing depends on this event to be correct (analytics counts views from heartbeats), so a
      // bus hiccup must not cost the viewer their play.
      deps.events.publish(PlaybackStartedSchema, started).catch((err: unknown) => deps.logger.warn({ err, sessionId: session.sessionId }, "PlaybackStarted not published"));
      return session;
    },

    getManifest() {
      throw new ConnectError("GetManifest is retired: play hls_manifest_url from StartPlayback (the signed media origin)", Code.Unimplemented);
    },

    getDashManifest() {
      throw new ConnectError("GetDashManifest is retired: play dash_manifest_url from StartPlayback (the signed media origin)", Code.Unimplemented);
    },
  };
}

/**
 * Where to resume (0 when never watched or finished). History is a convenience, not a gate: if
 * the library does not answer in time the viewer starts from the beginning rather than not at all.
 */
async function resumePosition(deps: PlaybackDeps, ctx: HandlerContext, profileId: string, videoId: string): Promise<number> {
  try {
    const r = await deps.library.getResumePosition({ profileId, videoId }, { timeoutMs: deps.config.resumeTimeoutMs, signal: ctx.signal });
    return r.found && !r.completed ? r.positionSeconds : 0;
  } catch (err) {
    deps.logger.warn({ err: ConnectError.from(err).message, videoId }, "resume position unavailable; starting at 0");
    return 0;
  }
}
