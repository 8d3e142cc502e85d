import { Code, ConnectError, type Client, type HandlerContext, type ServiceImpl } from "@connectrpc/connect";
import type { CatalogService } from "../../gen/cinemesh/catalog/v1/catalog_pb.js";
import type { RatingService } from "../../gen/cinemesh/rating/v1/rating_pb.js";
import { PROFILE_ID_HEADER, requireProfileIdHeader, requireUser } from "../../platform/rpc/context.js";
import { mappingDomainErrors } from "../../platform/rpc/errors.js";
import type { ProfileCheck } from "../../platform/rpc/profile-access.js";
import { averageOf, rate, type RateDeps } from "./rate.js";

export interface RatingHandlerDeps extends RateDeps {
  /** The caller's profile, checked (and remembered for a short while) with identity. */
  profiles: ProfileCheck;
  catalog: Client<typeof CatalogService>;
}

export function ratingHandlers(deps: RatingHandlerDeps): ServiceImpl<typeof RatingService> {
  return mappingDomainErrors({
    async rateContent(req, ctx) {
      const claims = requireUser(ctx);
      const profileId = requireProfileIdHeader(ctx);
      await deps.profiles(ctx, profileId);
      // The profile-id header travels with the call, so catalog also applies the profile's maturity cap.
      await requireContent(deps.catalog, req.contentId);
      const { totals } = await rate(deps, { userId: claims.userId, profileId, contentId: req.contentId, stars: req.rating });
      return { success: true, averageRating: averageOf(totals), totalRatings: BigInt(totals.count) };
    },

    async getContentRating(req, ctx) {
      requireUser(ctx);
      const profileId = optionalProfileId(ctx);
      const [totals, own] = await Promise.all([
        deps.store.totals(req.contentId),
        profileId === undefined ? undefined : deps.profiles(ctx, profileId).then(() => deps.store.find(profileId, req.contentId)),
      ]);
      return { averageRating: averageOf(totals), totalRatings: BigInt(totals.count), userRating: own?.stars };
    },
  });
}

async function requireContent(catalog: Client<typeof CatalogService>, contentId: string): Promise<void> {
  try {
    await catalog.getContent({ contentId });
  } catch (err) {
    if (ConnectError.from(err).code === Code.NotFound) throw new ConnectError(`content ${contentId} not found`, Code.NotFound);
    throw err;
  }
}

function optionalProfileId(ctx: HandlerContext): string | undefined {
  return ctx.requestHeader.get(PROFILE_ID_HEADER)?.trim() || undefined;
}
