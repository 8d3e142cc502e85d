import { randomUUID } from "node:crypto";
import { changeTitle } from "./change.js";
import { contentNotFound, invalid } from "./errors.js";
import { distinctExternalIds, externalIdsTaken } from "./external-ids.js";
import { genreNames, slugify, type GenreName } from "./genres.js";
import { keywordList } from "./keywords.js";
import { ContentStatus, ContentType, type CatalogEvent, type ExternalId, type Title, type TitleDescription, type TitleField } from "./model.js";
import type { CatalogDeps } from "./deps.js";
import type { TitleFields } from "./store.js";

/** A new title as an admin describes it. */
export interface TitleInput extends TitleDescription {
  /** Publish at once; otherwise the title starts as a draft. */
  publish: boolean;
  /** Fixed at creation; one another title holds refuses the whole creation. */
  externalIds: ExternalId[];
}

export type TitlePatch = Partial<Omit<TitleInput, "type" | "publish" | "externalIds">> & { status?: ContentStatus };

/**
 * Creates a title, as a draft unless published at once (then members are told). A movie gets its
 * feature video slot right away, so its markers and upload have a video to attach to.
 */
export async function createTitle(deps: CatalogDeps, input: TitleInput): Promise<Title> {
  const genres = genreNames(input.genres);
  if (genres.length === 0) throw invalid("a title needs at least one genre");
  const keywords = keywordList(input.keywords);
  const originalTitle = originalTitleOf(input.title, input.originalTitle);
  const id = randomUUID();
  return changeTitle(deps, async (tx) => {
    const status = input.publish ? ContentStatus.PUBLISHED : ContentStatus.DRAFT;
    const { publish: _, externalIds, ...fields } = input;
    await tx.insertTitle({ ...fields, id, genres, keywords, originalTitle, status });
    // Throwing rolls the title back with everything else: no half-created title.
    const taken = await tx.claimExternalIds(id, distinctExternalIds(externalIds));
    if (taken.length > 0) throw externalIdsTaken(taken);
    if (input.type === ContentType.MOVIE) {
      await tx.insertVideo({ id: randomUUID(), contentId: id, title: input.title, description: input.description });
    }
    const title = await tx.loadTitle(id);
    if (status === ContentStatus.PUBLISHED) await tx.emit({ kind: "published", title });
    return { contentId: id, value: title };
  });
}

/**
 * Changes the given fields. Publishing and unpublishing go through `status`: members are told a
 * title appeared, disappeared, or (while published) what changed. Nothing changed, nothing written.
 */
export async function updateTitle(deps: CatalogDeps, id: string, requested: TitlePatch): Promise<Title> {
  const genres = requested.genres === undefined ? undefined : genreNames(requested.genres);
  if (genres !== undefined && genres.length === 0) throw invalid("a title needs at least one genre");
  const keywords = requested.keywords === undefined ? undefined : keywordList(requested.keywords);
  return changeTitle(deps, async (tx) => {
    const before = await tx.lockTitle(id);
    if (before === undefined) throw contentNotFound(id);
    // A new title may make the stored original title redundant, and the other way round.
    const originalTitle = originalTitleOf(requested.title ?? before.title, requested.originalTitle ?? before.originalTitle);
    const patch: TitlePatch = { ...requested, keywords, originalTitle };
    const { fields, changed } = diffTitle(before, patch, genres);
    if (changed.length === 0) return { contentId: id, value: before };
    await tx.updateTitle(id, fields);
    if (fields.title !== undefined && before.feature !== undefined) await tx.renameFeature(before.feature.id, fields.title);
    const after = await tx.loadTitle(id);
    const event = statusEvent(before.status, after, changed);
    if (event !== undefined) await tx.emit(event);
    return { contentId: id, value: after };
  });
}

/** The original title as stored: empty when blank or when it does not differ from the title. */
function originalTitleOf(title: string, originalTitle: string): string {
  const trimmed = originalTitle.trim();
  return trimmed === "" || trimmed === title.trim() ? "" : originalTitle;
}

/** Deletes a title with its seasons and videos; every consumer is told (media deletes the files). */
export async function deleteTitle(deps: CatalogDeps, id: string): Promise<void> {
  await changeTitle(deps, async (tx) => {
    if ((await tx.lockTitle(id)) === undefined) throw contentNotFound(id);
    await tx.deleteTitle(id);
    await tx.emit({ kind: "removed", contentId: id, deleted: true });
    return { contentId: id, value: undefined };
  });
}

function statusEvent(before: ContentStatus, after: Title, changed: TitleField[]): CatalogEvent | undefined {
  const wasPublished = before === ContentStatus.PUBLISHED;
  const isPublished = after.status === ContentStatus.PUBLISHED;
  if (!wasPublished && isPublished) return { kind: "published", title: after };
  if (wasPublished && !isPublished) return { kind: "removed", contentId: after.id, deleted: false };
  if (isPublished) return { kind: "updated", title: after, changed };
  return undefined;
}

/** Event names of the scalar fields an admin edits. */
const SCALAR_FIELDS = {
  title: "title",
  description: "description",
  releaseYear: "release_year",
  durationMinutes: "duration_minutes",
  rating: "rating",
  language: "language",
  director: "director",
  thumbnailUrl: "thumbnail_url",
  backdropUrl: "backdrop_url",
  trailerUrl: "trailer_url",
  originalTitle: "original_title",
  status: "status",
} as const satisfies Partial<Record<keyof TitleFields, TitleField>>;

/** The fields of the patch that differ from the title, and their event names. */
export function diffTitle(before: Title, patch: TitlePatch, genres: GenreName[] | undefined): { fields: Partial<TitleFields>; changed: TitleField[] } {
  const fields: Partial<TitleFields> = {};
  const changed: TitleField[] = [];
  for (const [key, name] of Object.entries(SCALAR_FIELDS) as [keyof typeof SCALAR_FIELDS, TitleField][]) {
    const value = patch[key];
    if (value === undefined || value === before[key]) continue;
    (fields as Record<string, unknown>)[key] = value;
    changed.push(name);
  }
  if (genres !== undefined && !sameList(genres.map((g) => g.slug), before.genres.map(slugify))) {
    fields.genres = genres;
    changed.push("genres");
  }
  if (patch.cast !== undefined && !sameList(patch.cast, before.cast)) {
    fields.cast = patch.cast;
    changed.push("cast");
  }
  if (patch.keywords !== undefined && !sameList(patch.keywords, before.keywords)) {
    fields.keywords = patch.keywords;
    changed.push("keywords");
  }
  return { fields, changed };
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
