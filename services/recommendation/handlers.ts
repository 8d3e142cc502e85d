import { createHash } from "node:crypto";
import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, type HandlerContext, type ServiceImpl } from "@connectrpc/connect";
import { ContentSummarySchema } from "../../gen/cinemesh/common/v1/content_pb.js";
import { ContentType } from "../../gen/cinemesh/common/v1/enums_pb.js";
import { RecommendationSchema, TrendingWindow, type Recommendation, type RecommendationService } from "../../gen/cinemesh/recommendation/v1/recommendation_pb.js";
import { capAge, maturityRating, profileCap, stricterCap } from "../../platform/domain/maturity.js";
import { PROFILE_ID_HEADER, requireAdmin, requireCaller } from "../../platform/rpc/context.js";
import { limitOrDefault, pageWindow } from "../../platform/rpc/paging.js";
import { headerProfileCap, type ProfileCheck } from "../../platform/rpc/profile-access.js";
import type { Ranked, Reason } from "./ranking/recommend.js";
import type { Audience, Recommender } from "./recommender.js";
import type { SignalStore, TitleCard } from "./store.js";

export interface RecommendationDeps {
  recommender: Recommender;
  store: SignalStore;
  profiles: ProfileCheck;
}

const HOUR_MS = 3600_000;
/** Each window's span and the half-life of a view's weight within it. */
const WINDOWS = {
  [TrendingWindow.DAY]: { windowMs: 24 * HOUR_MS, halfLifeMs: 6 * HOUR_MS },
  [TrendingWindow.WEEK]: { windowMs: 7 * 24 * HOUR_MS, halfLifeMs: 48 * HOUR_MS },
} as const;
const DEFAULT_ROWS = 3;
const DEFAULT_ROW_LENGTH = 10;

export function recommendationHandlers(deps: RecommendationDeps): ServiceImpl<typeof RecommendationService> {
  const { recommender, store } = deps;

  /** Ranked titles as the contract's Recommendation, dropping any the catalog no longer publishes (cards kept in memory). */
  const hydrate = (profileId: string, ranked: Ranked[], generatedAt: number): Recommendation[] => {
    return ranked.flatMap((r) => {
      const card = recommender.card(r.contentId);
      if (card === undefined) return [];
      return [
        create(RecommendationSchema, {
          contentId: r.contentId,
          title: card.title,
          thumbnailUrl: card.thumbnailUrl,
          score: r.score,
          reason: reasonText(r.reason, (id) => recommender.model.titles.get(id)?.title),
          recommendationId: recommendationId(profileId, r.contentId, generatedAt),
          profileId,
          generatedAt: timestampFromMs(generatedAt),
          content: contentSummary(r.contentId, card),
        }),
      ];
    });
  };

  return {
    async getRecommendations(req, ctx) {
      const list = await recommender.recommendationsOf(req.profileId, await audienceOf(deps, ctx, req.profileId));
      const window = pageWindow(req);
      // Only the page is hydrated. A title removed since the list was computed is left out of its
      // page, which is then short by one, until the rebuild that follows the catalog's change.
      const page = list.items.slice(window.offset, window.offset + window.limit);
      return { recommendations: hydrate(req.profileId, page, list.modelVersion), totalCount: list.items.length };
    },

    async getBecauseYouWatched(req, ctx) {
      const because = await recommender.becauseOf(req.profileId, await audienceOf(deps, ctx, req.profileId));
      const rows = [];
      for (const row of because.items.slice(0, req.rows || DEFAULT_ROWS)) {
        const recommendations = hydrate(req.profileId, row.items.slice(0, req.limit || DEFAULT_ROW_LENGTH), because.modelVersion);
        const sourceTitle = recommender.model.titles.get(row.sourceId)?.title;
        if (recommendations.length > 0 && sourceTitle !== undefined) rows.push({ sourceContentId: row.sourceId, sourceTitle, recommendations });
      }
      return { rows };
    },

    async getTrending(req, ctx) {
      requireCaller(ctx);
      const maxAge = capAge(stricterCap(await headerProfileCap(deps.profiles, ctx), req.maxRating || undefined));
      const window = WINDOWS[req.window === TrendingWindow.DAY ? TrendingWindow.DAY : TrendingWindow.WEEK];
      const trending = await store.trending({ ...window, limit: limitOrDefault(req.limit), genre: req.genre.trim() || undefined, maxAge });
      return {
        items: trending.flatMap((t) => {
          const card = recommender.card(t.contentId);
          return card === undefined ? [] : [{ content: contentSummary(t.contentId, card), viewCount: BigInt(t.views), score: t.score }];
        }).map((item, i) => ({ ...item, rank: i + 1 })),
      };
    },

    async getSimilar(req, ctx) {
      requireCaller(ctx);
      const source = recommender.model.titles.get(req.contentId);
      if (source === undefined) throw new ConnectError(`content ${req.contentId} not found`, Code.NotFound);
      const maxAge = capAge(await headerProfileCap(deps.profiles, ctx));
      // A capped profile cannot ask what is like a title it may not see.
      if (maxAge !== undefined && source.minAge > maxAge) throw new ConnectError(`content ${req.contentId} not found`, Code.NotFound);
      const profileId = ctx.requestHeader.get(PROFILE_ID_HEADER)?.trim() ?? "";
      const ranked = recommender.similar(req.contentId, maxAge, req.limit || DEFAULT_ROW_LENGTH);
      return { sourceTitle: source.title, recommendations: hydrate(profileId, ranked, Date.now()) };
    },

    async rebuildModel(_req, ctx) {
      requireAdmin(ctx);
      const started = Date.now();
      const built = await recommender.rebuild();
      return { ...built, tookMs: BigInt(Date.now() - started) };
    },
  };
}

/** The words shown with a title. */
export function reasonText(reason: Reason, titleOf: (contentId: string) => string | undefined): string {
  switch (reason.kind) {
    case "popular":
      return "Popular on Cinemesh";
    case "genre":
      return `Because you like ${reason.genre}`;
    case "because": {
      const title = titleOf(reason.sourceId);
      if (title === undefined) return "Recommended for you";
      if (reason.via === "rated") return `Because you rated ${title} highly`;
      if (reason.via === "listed") return `Because you added ${title} to My List`;
      return `Because you watched ${title}`;
    }
  }
}

function contentSummary(contentId: string, card: TitleCard) {
  return create(ContentSummarySchema, {
    contentId,
    title: card.title,
    type: card.type === "TV_SHOW" ? ContentType.TV_SHOW : ContentType.MOVIE,
    thumbnailUrl: card.thumbnailUrl,
    backdropUrl: card.backdropUrl,
    rating: maturityRating(card.rating),
    releaseYear: card.releaseYear,
    genres: card.genres,
    averageRating: card.averageRating,
    durationMinutes: card.durationMinutes,
    description: card.description,
  });
}

/** One id per profile, title and list: the same recommendation keeps its id until the list is recomputed. */
function recommendationId(profileId: string, contentId: string, generatedAt: number): string {
  const h = createHash("sha256").update(`${profileId}:${contentId}:${generatedAt}`).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The cap and language of the caller's own profile (NOT_FOUND for another account's). */
async function audienceOf(deps: RecommendationDeps, ctx: HandlerContext, profileId: string): Promise<Audience> {
  const profile = await deps.profiles(ctx, profileId);
  return { maxAge: capAge(profileCap(profile)) ?? null, language: profile.language };
}
