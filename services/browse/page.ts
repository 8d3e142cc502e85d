import type { Category, GetHomeResponse } from "../../gen/cinemesh/browse/v1/browse_pb.js";
import type { ContentSummary } from "../../gen/cinemesh/common/v1/content_pb.js";
import type { MaturityRating } from "../../gen/cinemesh/common/v1/enums_pb.js";
import { isAllowed } from "../../platform/domain/maturity.js";

/** The most rows a title appears in on one page. */
export const MAX_APPEARANCES = 2;

/** How much a title in each personal row says about the profile's taste in genres. */
const TASTE_WEIGHT = { continueWatching: 3, myList: 2, recommendations: 1, becauseYouWatched: 1 } as const;

/**
 * The rules that span the page's rows, applied to the assembled page in place: every card within
 * the profile's cap (whatever a source or a stored copy held), each title in at most two rows (rows
 * earlier on the page keep it), each row at most `limit` long (only what is shown counts as an
 * appearance), genre rows in the order of the profile's taste, `categoryCount` of them, none empty.
 */
export function applyPageRules(page: GetHomeResponse, shape: { cap: MaturityRating | undefined; limit: number; categoryCount: number }): void {
  const { cap, limit } = shape;
  const seen = new Map<string, number>();
  /** The first `limit` items of a row whose card may still appear, each counted. */
  const row = <T>(items: T[], cardOf: (item: T) => ContentSummary | undefined): T[] => {
    const kept: T[] = [];
    for (const item of items) {
      if (kept.length >= limit) break;
      const card = cardOf(item);
      if (card === undefined || (cap !== undefined && !isAllowed(card.rating, cap))) continue;
      const n = seen.get(card.contentId) ?? 0;
      if (n >= MAX_APPEARANCES) continue;
      seen.set(card.contentId, n + 1);
      kept.push(item);
    }
    return kept;
  };
  const itself = (c: ContentSummary) => c;
  // In the order the rows are drawn (GetHomeResponse says which).
  const categories = orderByTaste(page.categories, tasteOf(page));
  page.continueWatching = row(page.continueWatching, (e) => e.content);
  page.recommendations = row(page.recommendations, (r) => r.content);
  page.myList = row(page.myList, itself);
  for (const r of page.becauseYouWatched) r.recommendations = row(r.recommendations, (x) => x.content);
  page.becauseYouWatched = page.becauseYouWatched.filter((r) => r.recommendations.length > 0);
  page.trending = row(page.trending, itself);
  page.newReleases = row(page.newReleases, itself);
  const genreRows: Category[] = [];
  for (const r of categories) {
    if (genreRows.length >= shape.categoryCount) break;
    r.content = row(r.content, itself);
    if (r.content.length > 0) genreRows.push(r);
  }
  page.categories = genreRows;
}

/** Genre name → weight, from the titles of the profile's own rows. */
export function tasteOf(page: GetHomeResponse): Map<string, number> {
  const taste = new Map<string, number>();
  const add = (card: ContentSummary | undefined, weight: number) => {
    for (const genre of card?.genres ?? []) taste.set(genre, (taste.get(genre) ?? 0) + weight);
  };
  for (const e of page.continueWatching) add(e.content, TASTE_WEIGHT.continueWatching);
  for (const c of page.myList) add(c, TASTE_WEIGHT.myList);
  for (const r of page.recommendations) add(r.content, TASTE_WEIGHT.recommendations);
  for (const row of page.becauseYouWatched) for (const r of row.recommendations) add(r.content, TASTE_WEIGHT.becauseYouWatched);
  return taste;
}

/** Genre rows by the profile's taste, most liked first; ties (and a new profile) keep the given order. */
export function orderByTaste(categories: Category[], taste: Map<string, number>): Category[] {
  return categories
    .map((row, i) => ({ row, i, weight: taste.get(row.name) ?? 0 }))
    .sort((a, b) => b.weight - a.weight || a.i - b.i)
    .map((x) => x.row);
}
