import { timestampMs } from "@bufbuild/protobuf/wkt";
import { ContentStatus, type Content } from "../../gen/cinemesh/catalog/v1/catalog_types_pb.js";
import { ContentType, MaturityRating } from "../../gen/cinemesh/common/v1/enums_pb.js";
import { minimumAge } from "../../platform/domain/maturity.js";
import type { ContentKind, SearchDocument, SearchHit } from "./index.js";
import { comparable, phraseWords } from "./text.js";

/**
 * The searchable fields of a document and their weights (title > original title, cast, director >
 * genres, keywords > description), which both engines rank by.
 */
export const TEXT_FIELDS = [
  { name: "title", weight: 4 },
  { name: "originalTitle", weight: 3 },
  { name: "cast", weight: 3 },
  { name: "director", weight: 3 },
  { name: "genres", weight: 2 },
  { name: "keywords", weight: 2 },
  { name: "description", weight: 1 },
] as const;

export type TextField = (typeof TEXT_FIELDS)[number]["name"];

/** The field's values as written in the document (a list for every field, "" left out). */
export function fieldValues(doc: Pick<SearchDocument, TextField>, field: TextField): string[] {
  const value = doc[field];
  return (Array.isArray(value) ? value : [value]).filter((v) => v.trim() !== "");
}


/** A published title as the index stores it; undefined for anything members must not find (drafts). */
export function searchDocument(content: Content): SearchDocument | undefined {
  if (content.status !== ContentStatus.PUBLISHED) return undefined;
  return {
    contentId: content.contentId,
    version: contentVersion(content),
    title: content.title,
    originalTitle: content.originalTitle,
    cast: content.cast,
    director: content.director,
    genres: content.genres,
    keywords: content.keywords,
    description: content.description,
    type: content.type === ContentType.TV_SHOW ? "TV_SHOW" : "MOVIE",
    rating: MaturityRating[content.rating],
    minAge: minimumAge(content.rating),
    releaseYear: content.releaseYear,
    language: content.language,
    thumbnailUrl: content.thumbnailUrl,
    popularity: content.popularity,
    viewCount: Number(content.viewCount),
    averageRating: content.averageRating,
    ratingCount: Number(content.ratingCount),
  };
}

/** comparable() of the title and the original title, for the exact-title tier of both engines. */
export function exactTitles(doc: Pick<SearchDocument, "title" | "originalTitle">): string[] {
  return [...new Set([doc.title, doc.originalTitle].filter((t) => t.trim() !== "").map(comparable))];
}

/** Every value of every text field as its phraseWords joined by spaces, for the phrase tier of both engines. */
export function phraseValues(doc: Pick<SearchDocument, TextField>): string[] {
  return TEXT_FIELDS.flatMap(({ name }) => fieldValues(doc, name).map((v) => phraseWords(v).join(" ")));
}

/** A result card of the document, as either engine answers it. */
export function searchHit(doc: SearchDocument, score: number, highlight: string): SearchHit {
  const { contentId, title, thumbnailUrl, type, rating, releaseYear, genres, averageRating } = doc;
  return { contentId, title, thumbnailUrl, type, rating, releaseYear, genres, averageRating, score, highlight };
}

/** The order of a title's states: its last change (updated_at), in ms. */
export function contentVersion(content: Content): number {
  return content.updatedAt ? timestampMs(content.updatedAt) : 0;
}

export function contentType(kind: ContentKind): ContentType {
  return kind === "TV_SHOW" ? ContentType.TV_SHOW : ContentType.MOVIE;
}

