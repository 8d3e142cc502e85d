import { CatalogService } from "../../gen/cinemesh/catalog/v1/catalog_pb.js";
import { IdentityService } from "../../gen/cinemesh/identity/v1/identity_pb.js";
import { RatingService } from "../../gen/cinemesh/rating/v1/rating_pb.js";
import type { ServiceDefinition } from "../../platform/host/run-service.js";
import { cachedProfileCheck } from "../../platform/rpc/profile-access.js";
import { serviceRoutes } from "../../platform/rpc/service-routes.js";
import { openWideColumn } from "../../platform/storage/select-widecolumn.js";
import { outboxAnnouncer } from "./announce.js";
import { ratingHandlers } from "./handlers.js";
import { withRatingLock } from "./rating-lock.js";
import { createWideColumnRatingStore } from "./store-widecolumn.js";

const SCHEMA = "rating";

/**
 * The rating service: 1-5 stars per profile and title, and per-title averages kept as counters.
 * Ratings go to the wide-column store (ScyllaDB when SCYLLA_CONTACT_POINTS is set, else tables in
 * the `rating` Postgres schema); ContentRated events go through the outbox in that schema.
 */
export const ratingService: ServiceDefinition = {
  name: "rating",
  services: [RatingService],
  async setup({ env, logger, resources, upstreams }) {
    // No migrations: ratings live in the wide-column store; Postgres holds only the outbox.
    const pool = await resources.postgres(SCHEMA);
    await resources.startOutboxRelay(SCHEMA);
    const wide = await openWideColumn(env, { pool, schema: SCHEMA, log: logger });
    resources.onClose(() => wide.close());
    const kv = await resources.kv();
    const handlers = ratingHandlers({
      store: await createWideColumnRatingStore(wide),
      serialise: (profileId, contentId, fn) => withRatingLock(kv, profileId, contentId, fn),
      ...outboxAnnouncer(pool, SCHEMA, resources.events),
      profiles: cachedProfileCheck({ identity: upstreams.client(IdentityService), kv, keyPrefix: "rating:" }),
      catalog: upstreams.client(CatalogService),
    });
    return { routes: serviceRoutes(RatingService, handlers) };
  },
};
