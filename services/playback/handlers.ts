import { randomUUID } from "node:crypto";
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, type Client, type HandlerContext, type ServiceImpl } from "@connectrpc/connect";
import type { Logger } from "pino";
import type { CatalogService } from "../../gen/cinemesh/catalog/v1/catalog_pb.js";
import type { Video } from "../../gen/cinemesh/catalog/v1/catalog_types_pb.js";
import { PlaybackStartedSchema } from "../../gen/cinemesh/events/v1/playback_events_pb.js";
import type { IdentityService } from "../../gen/cinemesh/identity/v1/identity_pb.js";
import type { LibraryService } from "../../gen/cinemesh/library/v1/library_pb.js";
import type { PlaybackService } from "../../gen/cinemesh/playback/v1/playback_pb.js";
import type { DomainEvents } from "../../platform/events/domain-events.js";
import { requireProfileIdHeader, requireUser } from "../../platform/rpc/context.js";
import { authorisePlayback } from "./authorise.js";
import type { PlaybackConfig } from "./config.js";
import { playbackSession, sessionUrls, type SessionGrant } from "./session.js";

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
  const grant = (): SessionGrant => ({
    sessionId: randomUUID(),
    signingKey: deps.config.signingKey,
    mediaBaseUrl: deps.config.mediaBaseUrl,
    expiresAtMs: now() + deps.config.urlTtlSeconds * 1000,
  });
  /** Where a manifest route sends the viewer: the manifest's URL in a new session, after play's checks. */
  const manifestRedirect = async (videoId: string, ctx: HandlerContext, keyOf: (video: Video) => string, kind: string) => {
    requireUser(ctx);
    const { video, maxShortSide } = await authorisePlayback(deps, ctx, requireProfileIdHeader(ctx), videoId);
    const location = sessionUrls(grant(), video.videoId, maxShortSide).url(keyOf(video));
    if (location === "") throw new ConnectError(`video ${video.videoId} has no ${kind} manifest`, Code.NotFound);
    return { redirect: { location } };
  };
  return {
    async startPlayback(req, ctx) {
      const claims = requireUser(ctx);
      const profileId = requireProfileIdHeader(ctx);
      const resume = resumePosition(deps, ctx, profileId, req.videoId);
      const { owner, video, content, maxShortSide } = await authorisePlayback(deps, ctx, profileId, req.videoId);
      const session = playbackSession({ ...grant(), video, content, maxShortSide, resumePosition: await resume });
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

    getHlsManifestLocation: (req, ctx) => manifestRedirect(req.videoId, ctx, (v) => v.hlsManifestPath, "HLS"),

    getDashManifestLocation: (req, ctx) => manifestRedirect(req.videoId, ctx, (v) => v.dashManifestPath, "DASH"),

    getManifest() {
      throw new ConnectError("GetManifest is retired: use GetHlsManifestLocation, or play hls_manifest_url from StartPlayback", Code.Unimplemented);
    },

    getDashManifest() {
      throw new ConnectError("GetDashManifest is retired: use GetDashManifestLocation, or play dash_manifest_url from StartPlayback", Code.Unimplemented);
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
