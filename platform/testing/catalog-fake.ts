import { randomUUID } from "node:crypto";
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, type HandlerContext } from "@connectrpc/connect";
import { CatalogService, type RecordRenditionsRequest } from "../../gen/cinemesh/catalog/v1/catalog_pb.js";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { ContentStatus, SubtitleSchema, VideoSchema, VideoStatus, type Subtitle, type Video } from "../../gen/cinemesh/catalog/v1/catalog_types_pb.js";
import { ContentType, MaturityRating } from "../../gen/cinemesh/common/v1/enums_pb.js";
import type { Env } from "../config.js";
import { isAllowed } from "../domain/maturity.js";
import { PROFILE_ID_HEADER, requireAdmin, requireAdminOrService } from "../rpc/context.js";
import { pageWindow } from "../rpc/paging.js";
import { startStandIn } from "./stand-in.js";

/** A published title of the fake catalog. */
export interface FakeTitle {
  contentId: string;
  title: string;
  thumbnailUrl: string;
  rating: MaturityRating;
  /** Its version as events and ListContent report it (`updated_at`). */
  updatedAtMs: number;
}

/** A video (a movie's feature or an episode) of a title: the catalog's own message, changed in place as media reports on it. */
export type FakeVideo = Video;

/**
 * The catalog as other services' tests need it (a service never imports another's code), on the
 * real platform host: published titles and their videos, held in maps the test reads and changes.
 *
 * - Members' reads (GetContent, BatchGetContent, GetVideo) behave like the real catalog's: a title
 *   not in `titles` does not exist, nor does one above the cap of the profile in `profile-id`.
 * - Media's RPCs (EnsureVideo, RecordRenditions, SetVideoEncodingStatus, AddSubtitle) need an
 *   admin or a service caller, are idempotent where the real ones are, and are recorded.
 * - ListContent (admins: search's reindex) pages through every title, in insertion order.
 */
export interface CatalogFake {
  url: string;
  /** Published titles; delete one to unpublish it. */
  titles: Map<string, FakeTitle>;
  videos: Map<string, FakeVideo>;
  /** A published title (PG-13 unless told). */
  addTitle(rating?: MaturityRating): FakeTitle;
  /** A video of the given title (a new title when none is given); an episode when `episode` is given. */
  addVideo(title?: FakeTitle, episode?: { season: number; episode: number }): FakeVideo;
  /** RecordRenditions requests that changed something (a repeat for the same job is not one). */
  recorded: RecordRenditionsRequest[];
  readonly ensureCalls: number;
  /** SetVideoEncodingStatus requests, in order. */
  statusReports: Array<{ videoId: string; jobId: string; status: VideoStatus }>;
  /** Callers of media's RPCs, by role ("admin", "service"). */
  callerRoles: string[];
  stop(): Promise<void>;
}

export interface CatalogFakeOptions {
  /** The maturity cap of the profile a call names in `profile-id` (undefined: not capped). */
  capOf?: (profileId: string) => MaturityRating | undefined;
}

export async function startCatalogFake(env: Env, options: CatalogFakeOptions = {}): Promise<CatalogFake> {
  const titles = new Map<string, FakeTitle>();
  const videos = new Map<string, FakeVideo>();
  const recorded: RecordRenditionsRequest[] = [];
  const statusReports: CatalogFake["statusReports"] = [];
  const callerRoles: string[] = [];
  const state = { ensureCalls: 0 };
  const slots = new Map<string, string>();
  const slotOf = (contentId: string, season?: number, episode?: number) => `${contentId}/${season ?? "-"}/${episode ?? "-"}`;

  const visible = (contentId: string, ctx: HandlerContext) => {
    const t = titles.get(contentId);
    const profileId = ctx.requestHeader.get(PROFILE_ID_HEADER);
    const cap = profileId === null ? undefined : options.capOf?.(profileId);
    return t !== undefined && (cap === undefined || isAllowed(t.rating, cap)) ? t : undefined;
  };
  const content = (t: FakeTitle) => ({
    contentId: t.contentId,
    title: t.title,
    thumbnailUrl: t.thumbnailUrl,
    rating: t.rating,
    type: ContentType.MOVIE,
    status: ContentStatus.PUBLISHED,
    updatedAt: timestampFromMs(t.updatedAtMs),
  });
  const videoFor = (ctx: HandlerContext, videoId: string) => {
    callerRoles.push(requireAdminOrService(ctx).role);
    const video = videos.get(videoId);
    if (video === undefined) throw new ConnectError(`video ${videoId} not found`, Code.NotFound);
    return video;
  };
  const addTitle = (rating = MaturityRating.PG_13): FakeTitle => {
    const contentId = randomUUID();
    const t = { contentId, title: `Title ${contentId.slice(0, 8)}`, thumbnailUrl: `https://img.example/${contentId}.jpg`, rating, updatedAtMs: Date.now() };
    titles.set(contentId, t);
    return t;
  };
  const addVideo = (contentId: string, title: string, season?: number, episode?: number, status?: VideoStatus): FakeVideo => {
    const video = create(VideoSchema, { videoId: randomUUID(), contentId, title, seasonNumber: season, episodeNumber: episode, status });
    videos.set(video.videoId, video);
    slots.set(slotOf(contentId, season, episode), video.videoId);
    return video;
  };

  const service = await startStandIn("catalog", CatalogService, { ...env, CATALOG_PORT: "0" }, {
    getContent(req, ctx) {
      const t = visible(req.contentId, ctx);
      if (t === undefined) throw new ConnectError(`content ${req.contentId} not found`, Code.NotFound);
      return { content: content(t) };
    },
    listContent(req, ctx) {
      requireAdmin(ctx);
      // Every fake title is published, so a PUBLISHED filter lists them all.
      const all = [...titles.values()];
      const { offset, limit } = pageWindow(req);
      return { content: all.slice(offset, offset + limit).map(content), totalCount: all.length };
    },
    batchGetContent(req, ctx) {
      return { contents: req.contentIds.map((id) => visible(id, ctx)).filter((t) => t !== undefined).map(content) };
    },
    getVideo(req, ctx) {
      const video = videos.get(req.videoId);
      const t = video === undefined ? undefined : visible(video.contentId, ctx);
      if (video === undefined || t === undefined) throw new ConnectError(`video ${req.videoId} not found`, Code.NotFound);
      return { video, content: content(t) };
    },
    ensureVideo(req, ctx) {
      callerRoles.push(requireAdminOrService(ctx).role);
      state.ensureCalls++;
      if (!titles.has(req.contentId)) throw new ConnectError(`content ${req.contentId} not found`, Code.NotFound);
      const existing = slots.get(slotOf(req.contentId, req.seasonNumber, req.episodeNumber));
      if (existing !== undefined) return { video: videos.get(existing), created: false };
      return { video: addVideo(req.contentId, req.title, req.seasonNumber, req.episodeNumber, VideoStatus.AWAITING_UPLOAD), created: true };
    },
    recordRenditions(req, ctx) {
      const video = videoFor(ctx, req.videoId);
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
      const video = videoFor(ctx, req.videoId);
      statusReports.push({ videoId: req.videoId, jobId: req.encodingJobId, status: req.status });
      if (video.status !== VideoStatus.READY && video.encodingJobId !== req.encodingJobId) video.status = req.status;
      return { video };
    },
    addSubtitle(req, ctx) {
      const video = videoFor(ctx, req.videoId);
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
  });

  return {
    url: service.host.url,
    titles,
    videos,
    addTitle,
    addVideo(title, episode) {
      const t = title ?? addTitle();
      return addVideo(t.contentId, episode ? `Episode ${episode.episode}` : t.title, episode?.season, episode?.episode);
    },
    recorded,
    get ensureCalls() {
      return state.ensureCalls;
    },
    statusReports,
    callerRoles,
    stop: service.stop,
  };
}
