import { Code, ConnectError, type Client, type HandlerContext, type ServiceImpl } from "@connectrpc/connect";
import type { CatalogService } from "../../gen/cinemesh/catalog/v1/catalog_pb.js";
import type { IdentityService } from "../../gen/cinemesh/identity/v1/identity_pb.js";
import type { RatingService } from "../../gen/cinemesh/rating/v1/rating_pb.js";
import { PROFILE_ID_HEADER, requireProfileIdHeader, requireUser } from "../../platform/rpc/context.js";
import { requireOwnedProfile } from "../../platform/rpc/profile-access.js";
import { averageOf, rate, RatingContentionError, type RateDeps } from "./rate.js";

export interface RatingHandlerDeps extends RateDeps {
  identity: Client<typeof IdentityService>;
  catalog: Client<typeof CatalogService>;
}

export function ratingHandlers(deps: RatingHandlerDeps): ServiceImpl<typeof RatingService> {
  return {
    async rateContent(req, ctx) {
      const claims = requireUser(ctx);
      const profileId = requireProfileIdHeader(ctx);
      await requireOwnedProfile(deps.identity, ctx, profileId);
      // The profile-id header travels with the call, so catalog also applies the profile's maturity cap.
      await requireContent(deps.catalog, req.contentId);
      try {
        const { totals } = await rate(deps, { userId: claims.userId, profileId, contentId: req.contentId, stars: req.rating });
        return { success: true, averageRating: averageOf(totals), totalRatings: BigInt(totals.count) };
      } catch (err) {
        if (err instanceof RatingContentionError) throw new ConnectError(err.message, Code.Aborted);
        throw err;
      }
    },

    async getContentRating(req, ctx) {
      requireUser(ctx);
      const profileId = optionalProfileId(ctx);
      const [totals, own] = await Promise.all([
        deps.store.totals(req.contentId),
        profileId === undefined ? undefined : requireOwnedProfile(deps.identity, ctx, profileId).then(() => deps.store.find(profileId, req.contentId)),
      ]);
      return { averageRating: averageOf(totals), totalRatings: BigInt(totals.count), userRating: own?.stars };
    },
  };
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
