import type { HandlerContext, ServiceImpl } from "@connectrpc/connect";
import type { CatalogService } from "../../gen/cinemesh/catalog/v1/catalog_pb.js";
import type { ProfileCheck } from "../../platform/rpc/profile-access.js";
import { requireAdmin, requireAdminOrService } from "../../platform/rpc/context.js";
import { mappingDomainErrors } from "../../platform/rpc/errors.js";
import { pageWindow } from "../../platform/rpc/paging.js";
import { addEpisode, addSeason, ensureVideo } from "./episodes.js";
import type { CatalogDeps } from "./deps.js";
import { lookupExternalIds } from "./external-ids.js";
import { batchGetTitles, getTitle, getVideo, listCategory, listGenres, listPublished, listTitles } from "./reads.js";
import * as request from "./requests.js";
import { createTitle, deleteTitle, updateTitle } from "./titles.js";
import { CARD, contentMessage, DETAIL, externalIdMatchMessage, genreMessage, LISTED, seasonMessage, subtitleMessage, summaryMessage, videoMessage } from "./to-proto.js";
import { addSubtitle, recordRenditions, setEncodingStatus, setMarkers } from "./videos.js";
import { resolveViewer } from "./viewer.js";
import { VideoStatus } from "./model.js";

export interface HandlerDeps extends CatalogDeps {
  /** Confirms a named profile is the caller's (identity, remembered in kv). */
  profiles: ProfileCheck;
}

/**
 * CatalogService: each RPC authorises the caller, turns its request into a domain call and the
 * result into its response. Reads need a signed-in caller (a named profile caps what they see);
 * changes need an admin. The media-facing changes (EnsureVideo, RecordRenditions, AddSubtitle)
 * run with the admin's token media forwards.
 */
export function catalogHandlers(deps: HandlerDeps): ServiceImpl<typeof CatalogService> {
  const viewer = (ctx: HandlerContext) => resolveViewer(ctx, deps.profiles);
  return mappingDomainErrors({
    async getContent(req, ctx) {
      const v = await viewer(ctx);
      const title = await getTitle(deps, v, req.contentId);
      return { content: contentMessage(title, { ...DETAIL, internal: v.admin, externalIds: v.admin }) };
    },

    async batchGetContent(req, ctx) {
      const titles = await batchGetTitles(deps, await viewer(ctx), req.contentIds, req.includeDrafts);
      return { contents: titles.map((t) => contentMessage(t, CARD)) };
    },

    async listByCategory(req, ctx) {
      const { titles, total } = await listCategory(deps, await viewer(ctx), {
        ...pageWindow(req),
        category: req.category,
        sort: request.sortKey(req.sortBy),
        maxRating: req.maxRating || undefined,
      });
      return { content: titles.map(summaryMessage), totalCount: total };
    },

    async listPublished(req, ctx) {
      const { titles, total } = await listPublished(deps, await viewer(ctx), {
        ...pageWindow({ page: 1, limit: req.limit }),
        sort: request.sortKey(req.sortBy),
        maxRating: req.maxRating || undefined,
      });
      return { content: titles.map(summaryMessage), totalCount: total };
    },

    async listContent(req, ctx) {
      requireAdmin(ctx);
      const { titles, total } = await listTitles(deps, await viewer(ctx), { ...pageWindow(req), status: req.status || undefined });
      return { content: titles.map((t) => contentMessage(t, { ...LISTED, externalIds: true })), totalCount: total };
    },

    async listGenres(_req, ctx) {
      return { genres: (await listGenres(deps, await viewer(ctx))).map(genreMessage) };
    },

    async createContent(req, ctx) {
      requireAdmin(ctx);
      const title = await createTitle(deps, request.titleInput(req));
      return { contentId: title.id, content: contentMessage(title, DETAIL) };
    },

    async updateContent(req, ctx) {
      requireAdmin(ctx);
      const title = await updateTitle(deps, req.contentId, request.titlePatch(req));
      return { content: contentMessage(title, DETAIL) };
    },

    async lookupExternalIds(req, ctx) {
      requireAdmin(ctx);
      const holders = await lookupExternalIds(deps, request.externalIds(req.externalIds));
      return { matches: holders.map(externalIdMatchMessage) };
    },

    async deleteContent(req, ctx) {
      requireAdmin(ctx);
      await deleteTitle(deps, req.contentId);
      return { success: true };
    },

    async addSeason(req, ctx) {
      requireAdmin(ctx);
      const season = await addSeason(deps, req.contentId, {
        number: req.seasonNumber,
        title: req.title,
        description: req.description,
        releaseYear: req.releaseYear,
      });
      return { season: seasonMessage(season) };
    },

    async addEpisode(req, ctx) {
      requireAdmin(ctx);
      const video = await addEpisode(deps, req.contentId, {
        seasonNumber: req.seasonNumber,
        episodeNumber: req.episodeNumber,
        title: req.title,
        description: req.description,
      });
      return { video: videoMessage(video, true) };
    },

    async setVideoMarkers(req, ctx) {
      requireAdmin(ctx);
      return { video: videoMessage(await setMarkers(deps, req.videoId, request.markers(req.markers)), true) };
    },

    async getVideo(req, ctx) {
      const { title, video } = await getVideo(deps, await viewer(ctx), req.videoId);
      return { video: videoMessage(video, true), content: contentMessage(title, { ...LISTED, internal: true }) };
    },

    async ensureVideo(req, ctx) {
      requireAdminOrService(ctx);
      const { video, created } = await ensureVideo(deps, req.contentId, {
        seasonNumber: req.seasonNumber,
        episodeNumber: req.episodeNumber,
        title: req.title,
      });
      return { video: videoMessage(video, true), created };
    },

    async recordRenditions(req, ctx) {
      requireAdminOrService(ctx);
      return { video: videoMessage(await recordRenditions(deps, req.videoId, request.encodingReport(req)), true) };
    },

    async setVideoEncodingStatus(req, ctx) {
      requireAdminOrService(ctx);
      // The proto rules admit PROCESSING and FAILED only.
      const status = req.status as VideoStatus.PROCESSING | VideoStatus.FAILED;
      return { video: videoMessage(await setEncodingStatus(deps, req.videoId, req.encodingJobId, status), true) };
    },

    async addSubtitle(req, ctx) {
      requireAdminOrService(ctx);
      // Required by the proto rules; the interceptor has rejected a request without it.
      const subtitle = await addSubtitle(deps, req.videoId, request.subtitleInput(req.subtitle!));
      return { subtitle: subtitleMessage(subtitle, true) };
    },
  });
}
