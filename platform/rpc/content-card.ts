import { create } from "@bufbuild/protobuf";
import type { Content } from "../../gen/cinemesh/catalog/v1/catalog_types_pb.js";
import { ContentSummarySchema, type ContentSummary } from "../../gen/cinemesh/common/v1/content_pb.js";

/** The card a row draws of a title the catalog returned in full (BatchGetContent, GetContent). */
export function contentCard(c: Content): ContentSummary {
  return create(ContentSummarySchema, {
    contentId: c.contentId,
    title: c.title,
    type: c.type,
    thumbnailUrl: c.thumbnailUrl,
    backdropUrl: c.backdropUrl,
    rating: c.rating,
    releaseYear: c.releaseYear,
    genres: c.genres,
    averageRating: c.averageRating,
    durationMinutes: c.durationMinutes,
    description: c.description,
  });
}
