import { timestampMs } from "@bufbuild/protobuf/wkt";
import { ContentStatus, type Content } from "../../gen/cinemesh/catalog/v1/catalog_types_pb.js";
import { ContentType, MaturityRating } from "../../gen/cinemesh/common/v1/enums_pb.js";
import type { ContentPublished, ContentRemoved, ContentUpdated } from "../../gen/cinemesh/events/v1/catalog_events_pb.js";
import { term, type Disposition } from "../../platform/events/bus.js";
import { minimumAge } from "../../platform/domain/maturity.js";
import type { CatalogTitle, SignalStore } from "./store.js";

type Handler<E> = (event: E) => Promise<Disposition | void>;

/**
 * How ranking's copy of the catalog follows the catalog. The three events arrive on separate
 * consumers, so in any order: each write carries its version (updated_at, or the removal's time)
 * and the store keeps the newest. A title that is not published is kept as "not recommendable".
 * `changed` is told after each write, with the title's id.
 */
export function catalogEventHandlers(store: SignalStore, changed: (contentId: string) => void = () => {}): {
  published: Handler<ContentPublished>;
  updated: Handler<ContentUpdated>;
  removed: Handler<ContentRemoved>;
} {
  const apply = async (content: Content | undefined): Promise<Disposition | void> => {
    if (!content?.contentId) return term("event without content");
    await store.recordTitle(catalogTitle(content));
    changed(content.contentId);
  };
  return {
    published: (event) => apply(event.content),
    updated: (event) => apply(event.content),
    removed: async (event) => {
      if (!event.contentId) return term("removal without a content id");
      await store.recordTitle({ contentId: event.contentId, version: event.meta?.occurredAt ? timestampMs(event.meta.occurredAt) : Date.now() });
      changed(event.contentId);
    },
  };
}

/** A catalog title as ranking stores it: features and card while published, nothing otherwise. */
export function catalogTitle(content: Content): CatalogTitle {
  const version = content.updatedAt ? timestampMs(content.updatedAt) : 0;
  if (content.status !== ContentStatus.PUBLISHED) return { contentId: content.contentId, version };
  return {
    contentId: content.contentId,
    version,
    published: {
      features: {
        contentId: content.contentId,
        title: content.title,
        genres: content.genres,
        cast: content.cast,
        director: content.director,
        keywords: content.keywords,
        releaseYear: content.releaseYear,
        language: content.language,
        minAge: minimumAge(content.rating),
      },
      card: {
        title: content.title,
        thumbnailUrl: content.thumbnailUrl,
        backdropUrl: content.backdropUrl,
        type: content.type === ContentType.TV_SHOW ? "TV_SHOW" : "MOVIE",
        rating: MaturityRating[content.rating],
        releaseYear: content.releaseYear,
        genres: content.genres,
        averageRating: content.averageRating,
        durationMinutes: content.durationMinutes,
        description: content.description,
      },
    },
  };
}
