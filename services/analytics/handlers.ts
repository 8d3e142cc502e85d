import { timestampDate, timestampFromDate, type Timestamp } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, type ServiceImpl } from "@connectrpc/connect";
import type { AnalyticsService } from "../../gen/cinemesh/analytics/v1/analytics_pb.js";
import { PROFILE_ID_HEADER, requireAdmin, requireAdminOrService, requireProfileIdHeader, requireUser } from "../../platform/rpc/context.js";
import { recordHeartbeat, type HeartbeatDeps } from "./heartbeat.js";
import type { Lookups } from "./lookups.js";
import { summariseQoe } from "./qoe-summary.js";
import type { AnalyticsStore, QoeRejection, Range } from "./store.js";

export interface AnalyticsHandlerDeps extends HeartbeatDeps {
  store: AnalyticsStore;
  lookups: Lookups;
  /** Copies the live counters of a video (or all) into the aggregates, so reads include them. */
  flush: (videoId?: string) => Promise<unknown>;
}

const DEFAULT_RANGE_MS = 7 * 24 * 3_600_000;
const MAX_RANGE_MS = 366 * 24 * 3_600_000;
const DEFAULT_TOP_LIMIT = 10;

export function analyticsHandlers(deps: AnalyticsHandlerDeps): ServiceImpl<typeof AnalyticsService> {
  const { store, lookups } = deps;
  return {
    async recordHeartbeat(req, ctx) {
      const claims = requireUser(ctx);
      const profileId = requireProfileIdHeader(ctx);
      const profile = await lookups.requireOwnedProfile(ctx, profileId);
      const contentId = await lookups.contentIdOf(req.videoId, profile.maturityLevel);
      const { viewCounted } = await recordHeartbeat(deps, {
        userId: claims.userId,
        profileId,
        videoId: req.videoId,
        contentId,
        sessionId: req.sessionId,
        playedSeconds: req.playedSeconds,
      });
      return { success: true, viewCounted };
    },

    async recordQoeEvent(req, ctx) {
      const claims = requireUser(ctx);
      const profileId = ctx.requestHeader.get(PROFILE_ID_HEADER)?.trim() || undefined;
      const profile = profileId === undefined ? undefined : await lookups.requireOwnedProfile(ctx, profileId);
      await lookups.contentIdOf(req.videoId, profile?.maturityLevel);
      const rejection = await store.recordQoe({
        sessionId: req.sessionId,
        videoId: req.videoId,
        userId: claims.userId,
        profileId,
        receivedAt: deps.now(),
        startupTimeMs: req.startupTimeMs,
        rebufferCount: req.rebufferCount,
        rebufferDurationMs: req.rebufferDurationMs,
        bitrateSwitches: req.bitrateSwitches,
        playedDurationMs: req.playedDurationMs,
        averageBitrate: req.averageBitrate,
        errors: req.errors.map((e) => ({ code: e.code, message: e.message, fatal: e.fatal, positionSeconds: e.positionSeconds })),
        deviceType: req.deviceType,
        player: req.player,
        final: req.final,
      });
      if (rejection !== null) throw qoeRejected(rejection, req.sessionId);
      return { success: true };
    },

    async getVideoStats(req, ctx) {
      requireAdmin(ctx);
      const range = rangeOf(req, deps.now());
      await lookups.contentIdOf(req.videoId);
      // Counts not yet flushed would be missing from the aggregates: copy this video's first.
      await deps.flush(req.videoId);
      const [views, qoe] = await Promise.all([store.videoTotals(req.videoId, range), store.qoeTotals(req.videoId, range)]);
      const summary = summariseQoe(qoe);
      return {
        videoId: req.videoId,
        views: BigInt(views.views),
        uniqueViewers: BigInt(views.uniqueViewers),
        watchTimeSeconds: BigInt(views.watchSeconds),
        completions: BigInt(views.completions),
        medianStartupTimeMs: summary.medianStartupTimeMs,
        p95StartupTimeMs: summary.p95StartupTimeMs,
        rebufferRatio: summary.rebufferRatio,
        averageBitrate: summary.averageBitrate,
        bitrateSwitchesPerHour: summary.bitrateSwitchesPerHour,
        errorRate: summary.errorRate,
        from: timestampFromDate(range.from),
        to: timestampFromDate(range.to),
      };
    },

    async getTopContent(req, ctx) {
      requireAdminOrService(ctx);
      const range = rangeOf(req, deps.now());
      // Read from the aggregates as the periodic flusher left them (at most one flush interval
      // behind): trending is read often and over many titles, and need not be to the second.
      const rows = await store.topContent(range, req.limit || DEFAULT_TOP_LIMIT);
      return {
        items: rows.map((r, i) => ({
          rank: i + 1,
          contentId: r.contentId,
          views: BigInt(r.views),
          uniqueViewers: BigInt(r.uniqueViewers),
          watchTimeSeconds: BigInt(r.watchSeconds),
        })),
      };
    },
  };
}

/** [from, to): `to` defaults to now, `from` to a week before `to`. */
function rangeOf(req: { from?: Timestamp; to?: Timestamp }, now: Date): Range {
  const to = req.to === undefined ? now : timestampDate(req.to);
  const from = req.from === undefined ? new Date(to.getTime() - DEFAULT_RANGE_MS) : timestampDate(req.from);
  if (from.getTime() >= to.getTime()) throw new ConnectError("from must be before to", Code.InvalidArgument);
  if (to.getTime() - from.getTime() > MAX_RANGE_MS) throw new ConnectError("the range from..to may span at most 366 days", Code.InvalidArgument);
  return { from, to };
}

function qoeRejected(reason: QoeRejection, sessionId: string): ConnectError {
  switch (reason) {
    // Someone else's session is not revealed, exactly like someone else's profile.
    case "session-of-another-caller":
      return new ConnectError(`session ${sessionId} not found`, Code.NotFound);
    case "session-of-another-video":
      return new ConnectError(`session ${sessionId} is a playback of another video`, Code.InvalidArgument);
    case "session-ended":
      return new ConnectError(`session ${sessionId} already ended (a final report was received)`, Code.FailedPrecondition);
  }
}

