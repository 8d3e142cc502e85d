import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { HandlerContext, ServiceImpl } from "@connectrpc/connect";
import { SubtitleFormat } from "../../gen/cinemesh/common/v1/enums_pb.js";
import type { MediaService } from "../../gen/cinemesh/media/v1/media_pb.js";
import { callLog, requireAdmin, requireAdminOrService } from "../../platform/rpc/context.js";
import type { Authorization } from "./catalog.js";
import { mappingDomainErrors } from "../../platform/rpc/errors.js";
import { jobNotFound, uploadNotFound } from "./errors.js";
import { subtitleMessage, jobStatusMessage, renditionProgressMessage, uploadMessage, videoFileMessage, watchJobMessage } from "./to-proto.js";
import { uploadSubtitle, type SubtitleDeps } from "./subtitles.js";
import { completeUpload, createUpload, type UploadDeps } from "./uploads.js";
import { watchJob, type WatchDeps } from "./watch.js";

export type HandlerDeps = UploadDeps & SubtitleDeps & WatchDeps;

/** Where the edge serves the tus endpoint of an upload. */
export function uploadUrl(uploadId: string): string {
  return `/api/v1/uploads/${uploadId}`;
}

/**
 * MediaService: each RPC authorises the caller, turns its request into a domain call and the
 * result into its response. Admin RPCs call the catalog with the admin's own token.
 */
export function mediaHandlers(deps: HandlerDeps): ServiceImpl<typeof MediaService> {
  return mappingDomainErrors({
    async createVideoUpload(req, ctx) {
      const claims = requireAdmin(ctx);
      const session = await createUpload(
        { ...deps, log: callLog(ctx, deps.log) },
        {
          contentId: req.contentId,
          seasonNumber: req.seasonNumber,
          episodeNumber: req.episodeNumber,
          filename: req.filename,
          sizeBytes: Number(req.sizeBytes),
          contentType: req.contentType,
          title: req.title,
          createdBy: claims.userId,
        },
        callerAuthorization(ctx),
        { staged: true },
      );
      return {
        videoId: session.videoId,
        encodingJobId: session.jobId,
        uploadId: session.uploadId,
        uploadUrl: uploadUrl(session.uploadId),
        expiresAt: timestampFromDate(session.expiresAt),
      };
    },

    async getUpload(req, ctx) {
      requireAdminOrService(ctx);
      const session = await deps.store.getUpload(req.uploadId);
      if (session === undefined) throw uploadNotFound(req.uploadId);
      return { upload: uploadMessage(session) };
    },

    async completeUpload(req, ctx) {
      requireAdminOrService(ctx);
      const done = await completeUpload({ ...deps, log: callLog(ctx, deps.log) }, req.uploadId, "staged", Number(req.sizeBytes));
      return { encodingJobId: done.jobId, status: jobStatusMessage(done.status) };
    },

    async getEncodingStatus(req, ctx) {
      requireAdmin(ctx);
      const job = await deps.store.getJob(req.jobId);
      if (job === undefined) throw jobNotFound(req.jobId);
      return {
        jobId: job.jobId,
        status: jobStatusMessage(job.status),
        progress: job.status === "COMPLETED" ? 100 : Math.floor(job.percent),
        videoId: job.videoId,
        renditions: job.renditions.map(renditionProgressMessage),
        failureReason: job.failureReason,
      };
    },

    async *watchJob(req, ctx) {
      requireAdmin(ctx);
      for await (const s of watchJob(deps, req.jobId, ctx.signal)) yield watchJobMessage(s.jobId, s.videoId, s.progress);
    },

    async uploadSubtitle(req, ctx) {
      requireAdmin(ctx);
      const format = req.format === SubtitleFormat.SRT ? "SRT" : "WEBVTT";
      const stored = await uploadSubtitle(
        deps,
        { videoId: req.videoId, language: req.language, label: req.label, format, content: req.content, closedCaptions: req.closedCaptions },
        callerAuthorization(ctx),
      );
      return { subtitle: { ...subtitleMessage(req.videoId, stored), subtitleId: stored.subtitleId } };
    },

    async listRenditions(req, ctx) {
      requireAdmin(ctx);
      const job = await deps.store.latestCompletedJob(req.videoId);
      if (job?.outcome === undefined) return { renditions: [], encodingJobId: "" };
      return { renditions: job.outcome.renditions.map((r) => videoFileMessage(req.videoId, r)), encodingJobId: job.jobId };
    },
  });
}

/** The caller's own token, for the catalog calls made on its behalf. */
function callerAuthorization(ctx: HandlerContext): Authorization {
  return async () => ctx.requestHeader.get("authorization") ?? undefined;
}
