import { createReadStream } from "node:fs";
import path from "node:path";
import type { BadRow } from "./catalog-title.js";
import type { Member, MemberRating, MembersPort } from "./members-port.js";
import { parseRatingRow, platformStars, RATINGS_HEADER, type RatingRow } from "./movielens-rows.js";
import { eachRow } from "./read-movielens.js";
import { eachConcurrently } from "./worker-pool.js";

/** Members per ImportMembers call (the request's cap). */
export const MEMBERS_PER_CALL = 500;
/** ImportRatingsRequest's cap per message. */
export const RATINGS_PER_BATCH = 1_000;
/** Batches per ImportRatings stream: about 700 KB, under the edge's default request limit of 1 MiB. */
export const BATCHES_PER_STREAM = 5;

export interface RatingsImportOptions {
  dir: string;
  /** Every imported account's password. */
  password: string;
  /** Accounts are `movielens-<userId>@<emailDomain>`. */
  emailDomain: string;
  /** ImportMembers calls at once. */
  concurrency: number;
}

export interface RatingsSummary {
  /** Accounts created by this run, and found from an earlier one. */
  membersCreated: number;
  membersExisting: number;
  /** Ratings written (new or changed) and already there with the same stars. */
  imported: number;
  unchanged: number;
  /** Ratings of movies the catalog import has no title for (bad or left-out rows of movies.csv). */
  unknownTitles: number;
  badRows: BadRow[];
  /** MovieLens userId → the member made for them. */
  members: Map<string, Member>;
  /** Users whose account could not be made, with the reason; their ratings are not imported. */
  failedMembers: Array<{ userId: string; reason: string }>;
}

/** The account of a MovieLens user. */
export function emailOf(userId: string, domain: string): string {
  return `movielens-${userId}@${domain}`;
}

/**
 * DIR/ratings.csv onto the platform: one account with one profile per MovieLens user, then their
 * ratings (half stars rounded up onto 1-5, original times kept) streamed to ImportRatings. Running
 * it again finds the accounts and changes no rating.
 */
export async function importRatingsFile(
  opts: RatingsImportOptions,
  contentIdOf: ReadonlyMap<string, string>,
  members: MembersPort,
  io: { stderr: NodeJS.WritableStream; signal?: AbortSignal },
): Promise<RatingsSummary> {
  const file = path.join(opts.dir, "ratings.csv");
  const rows: RatingRow[] = [];
  const badRows: BadRow[] = [];
  await eachRow({ file, stream: createReadStream(file) }, RATINGS_HEADER, parseRatingRow, badRows, (row) => rows.push(row));
  const known = rows.filter((r) => contentIdOf.has(r.movieId));
  const summary: RatingsSummary = {
    membersCreated: 0,
    membersExisting: 0,
    imported: 0,
    unchanged: 0,
    unknownTitles: rows.length - known.length,
    badRows,
    members: new Map(),
    failedMembers: [],
  };

  const users = [...new Set(known.map((r) => r.userId))];
  io.stderr.write(`ratings: ${known.length} ratings of ${users.length} users; making their accounts\n`);
  await eachConcurrently(
    chunksOf(users, MEMBERS_PER_CALL),
    opts.concurrency,
    async (group) => {
      try {
        const made = await members.ensureMembers(opts.password, group.map((userId) => ({ email: emailOf(userId, opts.emailDomain), profileName: `MovieLens ${userId}` })));
        made.forEach((m, i) => {
          summary.members.set(group[i]!, { email: m.email, userId: m.userId, profileId: m.profileId });
          summary[m.created ? "membersCreated" : "membersExisting"]++;
        });
      } catch (err) {
        for (const userId of group) summary.failedMembers.push({ userId, reason: (err as Error).message });
      }
    },
    io.signal,
  );

  const ratings: MemberRating[] = known.flatMap((r) => {
    const m = summary.members.get(r.userId);
    return m === undefined ? [] : [{ userId: m.userId, profileId: m.profileId, contentId: contentIdOf.get(r.movieId)!, stars: platformStars(r.rating), ratedAt: new Date(r.timestamp * 1000) }];
  });
  // One stream at a time: the service sets each batch's ratings 16 at a time already, and two
  // streams at once measured no faster (bench:recs: 141 s against 118 and 130 s).
  let sent = 0;
  for (const chunk of chunksOf(ratings, RATINGS_PER_BATCH * BATCHES_PER_STREAM)) {
    if (io.signal?.aborted) break;
    const done = await members.importRatings(chunksOf(chunk, RATINGS_PER_BATCH));
    summary.imported += done.imported;
    summary.unchanged += done.unchanged;
    sent += chunk.length;
    io.stderr.write(`ratings: ${sent}/${ratings.length}\n`);
  }
  return summary;
}

function chunksOf<T>(items: readonly T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
}
