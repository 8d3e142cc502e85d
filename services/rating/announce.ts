import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import type pg from "pg";
import { ContentRatedSchema } from "../../gen/cinemesh/events/v1/rating_events_pb.js";
import type { DomainEvents } from "../../platform/events/domain-events.js";
import { withTransaction } from "../../platform/storage/postgres.js";
import { averageOf, type Rated } from "./rate.js";

/**
 * Announces changed ratings through the outbox in the service's Postgres schema, so a bus
 * outage delays the event and loses none. The rating itself lives in the wide-column store,
 * which cannot share a transaction with Postgres: the event is written right after the change.
 */
export function outboxAnnouncer(pool: pg.Pool, schema: string, events: DomainEvents): { announce: (rated: Rated) => Promise<void>; announceAll: (rated: Rated[]) => Promise<void> } {
  const enqueue = (tx: pg.ClientBase, rated: Rated) =>
    events.enqueue(
      tx,
      schema,
      ContentRatedSchema,
      create(ContentRatedSchema, {
        meta: { ...events.meta(), occurredAt: timestampFromDate(rated.at) },
        userId: rated.userId,
        profileId: rated.profileId,
        contentId: rated.contentId,
        rating: rated.stars,
        previousRating: rated.previousStars,
        averageRating: averageOf(rated.totals),
        totalRatings: BigInt(rated.totals.count),
      }),
    );
  return {
    announce: (rated) => withTransaction(pool, (tx) => enqueue(tx, rated)),
    // One transaction for a whole imported batch: one commit instead of a thousand.
    announceAll: (rated) =>
      withTransaction(pool, async (tx) => {
        for (const r of rated) await enqueue(tx, r);
      }),
  };
}
