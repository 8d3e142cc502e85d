import { randomUUID } from "node:crypto";
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { CatalogService, type RecordRenditionsRequest } from "../../../gen/cinemesh/catalog/v1/catalog_pb.js";
import { SubtitleSchema, VideoSchema, VideoStatus, type Subtitle, type Video } from "../../../gen/cinemesh/catalog/v1/catalog_types_pb.js";
import { requireAdminOrService } from "../../../platform/rpc/context.js";
import { startStandIn } from "../../../platform/testing/stand-in.js";

/**
 * A tiny catalog host for media's tests (a service never imports another's code): titles are
 * registered by the test; EnsureVideo, RecordRenditions (idempotent per job, as the real one),
 * SetVideoEncodingStatus, AddSubtitle and GetVideo behave like the real catalog's, and every call is recorded.
 */
export interface CatalogStandIn {
  url: string;
  addTitle(): string;
  videos: Map<string, Video>;
  /** RecordRenditions requests that changed something (a repeat for the same job is not one). */
  recorded: RecordRenditionsRequest[];
  ensureCalls: number;
  /** SetVideoEncodingStatus requests, in order. */
  statusReports: Array<{ videoId: string; jobId: string; status: VideoStatus }>;
  /** Callers of the media-facing RPCs, by role ("admin", "service"). */
  callerRoles: string[];
  stop(): Promise<void>;
}

export async function startCatalogStandIn(env: Record<string, string>): Promise<CatalogStandIn> {
  const titles = new Set<string>();
  const videos = new Map<string, Video>();
  const recorded: RecordRenditionsRequest[] = [];
  const state = { ensureCalls: 0 };
  const callerRoles: string[] = [];
  const statusReports: CatalogStandIn["statusReports"] = [];
  const slotOf = (contentId: string, season?: number, episode?: number) => `${contentId}/${season ?? "-"}/${episode ?? "-"}`;
  const slots = new Map<string, string>();

  const service = await startStandIn("catalog", CatalogService, { ...env, CATALOG_PORT: "0" }, {
    ensureVideo(req, ctx) {
      callerRoles.push(requireAdminOrService(ctx).role);
      state.ensureCalls++;
      if (!titles.has(req.contentId)) throw new ConnectError(`content ${req.contentId} not found`, Code.NotFound);
      const slot = slotOf(req.contentId, req.seasonNumber, req.episodeNumber);
      const existing = slots.get(slot);
      if (existing !== undefined) return { video: videos.get(existing), created: false };
      const video = create(VideoSchema, {
        videoId: randomUUID(),
        contentId: req.contentId,
        seasonNumber: req.seasonNumber,
        episodeNumber: req.episodeNumber,
        title: req.title,
        status: VideoStatus.AWAITING_UPLOAD,
      });
      videos.set(video.videoId, video);
      slots.set(slot, video.videoId);
      return { video, created: true };
    },
    recordRenditions(req, ctx) {
      callerRoles.push(requireAdminOrService(ctx).role);
      const video = videos.get(req.videoId);
      if (video === undefined) throw new ConnectError(`video ${req.videoId} not found`, Code.NotFound);
      if (video.encodingJobId === req.encodingJobId) return { video };
      recorded.push(req);
      Object.assign(video, {
        status: VideoStatus.READY,
        encodingJobId: req.encodingJobId,
        durationSeconds: req.durationSeconds,
        videoFiles: req.renditions,
        audioTracks: req.audioTracks,
        hlsManifestPath: req.hlsManifestPath,
        dashManifestPath: req.dashManifestPath,
        trickplayVttPath: req.trickplayVttPath,
        previewPath: req.previewPath,
        thumbnailUrl: req.thumbnailUrl,
      });
      return { video };
    },
    setVideoEncodingStatus(req, ctx) {
      callerRoles.push(requireAdminOrService(ctx).role);
      const video = videos.get(req.videoId);
      if (video === undefined) throw new ConnectError(`video ${req.videoId} not found`, Code.NotFound);
      statusReports.push({ videoId: req.videoId, jobId: req.encodingJobId, status: req.status });
      if (video.status !== VideoStatus.READY && video.encodingJobId !== req.encodingJobId) video.status = req.status;
      return { video };
    },
    addSubtitle(req, ctx) {
      callerRoles.push(requireAdminOrService(ctx).role);
      const video = videos.get(req.videoId);
      if (video === undefined) throw new ConnectError(`video ${req.videoId} not found`, Code.NotFound);
      const sub: Subtitle = create(SubtitleSchema, {
        language: req.subtitle?.language,
        label: req.subtitle?.label,
        format: req.subtitle?.format,
        storageLocation: req.subtitle?.storageLocation,
        closedCaptions: req.subtitle?.closedCaptions,
        subtitleId: randomUUID(),
        videoId: req.videoId,
      });
      video.subtitles = [...video.subtitles.filter((s) => !(s.language === sub.language && s.closedCaptions === sub.closedCaptions)), sub];
      return { subtitle: sub };
    },
    getVideo(req) {
      const video = videos.get(req.videoId);
      if (video === undefined) throw new ConnectError(`video ${req.videoId} not found`, Code.NotFound);
      return { video };
    },
  });

  return {
    url: service.host.url,
    addTitle() {
      const id = randomUUID();
      titles.add(id);
      return id;
    },
    videos,
    recorded,
    get ensureCalls() {
      return state.ensureCalls;
    },
    callerRoles,
    statusReports,
    stop: service.stop,
  };
}
