import { Code, ConnectError, type Client, type HandlerContext, type ServiceImpl } from "@connectrpc/connect";
import type { CatalogService } from "../../gen/cinemesh/catalog/v1/catalog_pb.js";
import type { RatingService } from "../../gen/cinemesh/rating/v1/rating_pb.js";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { PROFILE_ID_HEADER, requireAdmin, requireProfileIdHeader, requireUser } from "../../platform/rpc/context.js";
import { mappingDomainErrors } from "../../platform/rpc/errors.js";
import type { ProfileCheck } from "../../platform/rpc/profile-access.js";
import { averageOf, importRatings, rate, type Rated, type RateDeps } from "./rate.js";

export interface RatingHandlerDeps extends RateDeps {
  /** Announces an imported batch's changed ratings together. */
  announceAll: (rated: Rated[]) => Promise<void>;
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

    async importRatings(batches, ctx) {
      requireAdmin(ctx);
      let imported = 0n;
      let unchanged = 0n;
      for await (const { ratings } of batches) {
        await requirePublished(deps.catalog, [...new Set(ratings.map((r) => r.contentId))]);
        const done = await importRatings(deps, ratings.map((r) => ({ userId: r.userId, profileId: r.profileId, contentId: r.contentId, stars: r.rating, at: timestampDate(r.ratedAt!) })));
        imported += BigInt(done.imported);
        unchanged += BigInt(done.unchanged);
      }
      return { imported, unchanged };
    },
  });
}

/** The most ids one BatchGetContent takes. */
const CATALOG_BATCH = 100;

/** Refuses the batch unless the catalog publishes every title it names. */
async function requirePublished(catalog: Client<typeof CatalogService>, contentIds: string[]): Promise<void> {
  for (let i = 0; i < contentIds.length; i += CATALOG_BATCH) {
    const ids = contentIds.slice(i, i + CATALOG_BATCH);
    const found = new Set((await catalog.batchGetContent({ contentIds: ids })).contents.map((c) => c.contentId));
    const missing = ids.filter((id) => !found.has(id));
    if (missing.length > 0) throw new ConnectError(`content ${missing.slice(0, 5).join(", ")}${missing.length > 5 ? ` and ${missing.length - 5} more` : ""} not found: no rating of this batch was imported`, Code.InvalidArgument);
  }
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
