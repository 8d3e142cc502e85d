import { ContentStatus, type Title, type TitleField } from "./model.js";
import type { CatalogDeps } from "./deps.js";
import type { CatalogWriter } from "./store.js";

/** The outcome of a change and the title it touched. */
export interface Changed<T> {
  contentId: string;
  value: T;
}

/**
 * Runs a change in one transaction (with its events), then stops the cache serving the title's old
 * state. Invalidation follows the commit, so no reader can cache the old state after it (cache.ts).
 */
export async function changeTitle<T>(deps: CatalogDeps, fn: (tx: CatalogWriter) => Promise<Changed<T>>): Promise<T> {
  const { contentId, value } = await deps.store.write(fn);
  await deps.cache.invalidate([contentId]);
  return value;
}

/** After a change to a title's seasons, episodes or videos: marks it updated and, if members see it, tells them. */
export async function announceUpdate(tx: CatalogWriter, contentId: string, changed: TitleField[]): Promise<Title> {
  await tx.touchTitle(contentId);
  const title = await tx.loadTitle(contentId);
  if (title.status === ContentStatus.PUBLISHED) await tx.emit({ kind: "updated", title, changed });
  return title;
}
