import type { TableDefinition, WideColumnStore } from "../../platform/storage/widecolumn.js";
import type { RatingStore, StoredRating } from "./store.js";

type RatingRow = {
  profile_id: string;
  content_id: string;
  rating_id: string;
  rating: number;
  created_at: Date;
  updated_at: Date;
};

/** A profile's ratings, one partition per profile (seed §7.3 user_ratings). */
const RATINGS_BY_PROFILE: TableDefinition<RatingRow, "profile_id", "content_id"> = {
  name: "ratings_by_profile",
  columns: { profile_id: "uuid", content_id: "uuid", rating_id: "uuid", rating: "int", created_at: "timestamp", updated_at: "timestamp" },
  partitionKey: ["profile_id"],
  clusteringKey: [{ column: "content_id", order: "asc" }],
};

/** Sum and count of every title's stars, as counters (Scylla counter columns). */
const RATING_TOTALS = {
  name: "rating_totals",
  key: { content_id: "uuid" },
  counters: ["rating_sum", "rating_count"],
} as const;

/** The rating store on the wide-column port (ScyllaDB in production, Postgres tables embedded). */
export async function createWideColumnRatingStore(wide: WideColumnStore): Promise<RatingStore> {
  const ratings = await wide.table(RATINGS_BY_PROFILE);
  const totals = await wide.counters<{ content_id: string }, "rating_sum" | "rating_count">(RATING_TOTALS);
  return {
    async find(profileId, contentId) {
      const row = await ratings.get({ profile_id: profileId, content_id: contentId });
      return row === null ? null : fromRow(row);
    },
    replace(rating, expectedStars) {
      return ratings.putIf(toRow(rating), expectedStars === null ? null : { rating: expectedStars });
    },
    async addToTotals(contentId, delta) {
      await totals.add({ content_id: contentId }, { rating_sum: delta.sum, rating_count: delta.count });
    },
    async totals(contentId) {
      const t = await totals.get({ content_id: contentId });
      return { sum: t.rating_sum, count: t.rating_count };
    },
  };
}

function toRow(r: StoredRating): RatingRow {
  return { profile_id: r.profileId, content_id: r.contentId, rating_id: r.ratingId, rating: r.stars, created_at: r.createdAt, updated_at: r.updatedAt };
}

function fromRow(r: RatingRow): StoredRating {
  return { ratingId: r.rating_id, profileId: r.profile_id, contentId: r.content_id, stars: r.rating, createdAt: r.created_at, updatedAt: r.updated_at };
}
