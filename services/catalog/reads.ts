import { allowedRatings } from "../../platform/domain/maturity.js";
import type { PageWindow } from "../../platform/rpc/paging.js";
import type { CatalogDeps } from "./deps.js";
import { contentNotFound, videoNotFound } from "./errors.js";
import { slugify } from "./genres.js";
import type { CategoryEntry, ContentStatus, Genre, MaturityRating, SortKey, Title, Video } from "./model.js";
import { stricterCap } from "../../platform/domain/maturity.js";
import { canSee, withinCap, type Viewer } from "./visibility.js";

/** Which rows of a list a request asked for (platform/rpc/paging.ts). */
export type Page = PageWindow;

/** Titles by id through the cache, in the order asked, unknown ids left out. */
async function cachedTitles(deps: CatalogDeps, ids: readonly string[]): Promise<Title[]> {
  const found = await deps.cache.titles(ids, (missing) => deps.store.loadTitles(missing));
  return ids.flatMap((id) => found.get(id) ?? []);
}

/** A title's detail page; one the viewer may not see is NOT_FOUND, exactly like a missing one. */
export async function getTitle(deps: CatalogDeps, viewer: Viewer, id: string): Promise<Title> {
  const [title] = await cachedTitles(deps, [id]);
  if (title === undefined || !canSee(viewer, title, true)) throw contentNotFound(id);
  return title;
}

/** Many titles in request order (each once), leaving out unknown ones and those the viewer may not see. */
export async function batchGetTitles(deps: CatalogDeps, viewer: Viewer, ids: readonly string[], includeDrafts: boolean): Promise<Title[]> {
  const titles = await cachedTitles(deps, [...new Set(ids)]);
  return titles.filter((t) => canSee(viewer, t, includeDrafts));
}

export interface PublishedQuery extends Page {
  sort: SortKey;
  /** The caller's own cap (e.g. browse for a kids row), on top of the viewer's. */
  maxRating?: MaturityRating;
}

export interface CategoryQuery extends PublishedQuery {
  /** Genre name or slug. */
  category: string;
}

/** One page of a genre's published titles (listPage). */
export async function listCategory(deps: CatalogDeps, viewer: Viewer, q: CategoryQuery): Promise<{ titles: Title[]; total: number }> {
  const slug = slugify(q.category);
  if (slug === "") return { titles: [], total: 0 };
  return listPage(deps, viewer, q, await deps.cache.category(slug, q.sort, () => deps.store.categoryEntries(slug, q.sort)));
}

/** One page of every published title (listPage). */
export async function listPublished(deps: CatalogDeps, viewer: Viewer, q: PublishedQuery): Promise<{ titles: Title[]; total: number }> {
  return listPage(deps, viewer, q, await deps.cache.published(q.sort, () => deps.store.categoryEntries(undefined, q.sort)));
}

/**
 * One page of a cached list of published titles. The list is the same for everyone; the cap is
 * applied before paging, so pages are full and `total` counts only what this viewer may see.
 */
async function listPage(deps: CatalogDeps, viewer: Viewer, q: PublishedQuery, entries: CategoryEntry[]): Promise<{ titles: Title[]; total: number }> {
  const capped: Viewer = { ...viewer, cap: stricterCap(viewer.cap, q.maxRating) };
  const allowed = entries.filter((e) => withinCap(e.rating, capped.cap));
  const ids = allowed.slice(q.offset, q.offset + q.limit).map((e) => e.id);
  // Checked again: a title changed since the list was cached must not slip through.
  const titles = (await cachedTitles(deps, ids)).filter((t) => canSee(capped, t, false));
  return { titles, total: allowed.length };
}

/** Genres with the number of published titles the viewer may see, by name; empty genres left out. */
export async function listGenres(deps: CatalogDeps, viewer: Viewer): Promise<Genre[]> {
  const counts = await deps.cache.genreCounts(() => deps.store.genreRatingCounts());
  const bySlug = new Map<string, Genre>();
  for (const c of counts) {
    if (!withinCap(c.rating, viewer.cap)) continue;
    const genre = bySlug.get(c.slug) ?? { name: c.name, slug: c.slug, count: 0 };
    genre.count += c.count;
    bySlug.set(c.slug, genre);
  }
  return [...bySlug.values()].sort((a, b) => a.name.localeCompare(b.name, "en", { sensitivity: "base" }) || a.slug.localeCompare(b.slug));
}

/** Every title, drafts too, most recently updated first (admin tooling, re-indexing). */
export async function listTitles(deps: CatalogDeps, viewer: Viewer, q: Page & { status?: ContentStatus }): Promise<{ titles: Title[]; total: number }> {
  const { ids, total } = await deps.store.pageTitles({
    status: q.status,
    ratings: viewer.cap === undefined ? undefined : allowedRatings(viewer.cap),
    offset: q.offset,
    limit: q.limit,
  });
  return { titles: await cachedTitles(deps, ids), total };
}

/** A video and its title, under the same visibility as the title's detail page. */
export async function getVideo(deps: CatalogDeps, viewer: Viewer, videoId: string): Promise<{ title: Title; video: Video }> {
  const contentId = await deps.cache.videoOwner(videoId, () => deps.store.videoOwner(videoId));
  const [title] = contentId === undefined ? [] : await cachedTitles(deps, [contentId]);
  const video = title && videoOf(title, videoId);
  if (title === undefined || video === undefined || !canSee(viewer, title, true)) throw videoNotFound(videoId);
  return { title, video };
}

export function videoOf(title: Title, videoId: string): Video | undefined {
  if (title.feature?.id === videoId) return title.feature;
  return title.episodes.find((v) => v.id === videoId);
}
