import { timestampMs } from "@bufbuild/protobuf/wkt";
import type { ContentPublished, ContentRemoved, ContentUpdated } from "../../gen/cinemesh/events/v1/catalog_events_pb.js";
import type { EventMeta } from "../../gen/cinemesh/events/v1/meta_pb.js";
import { term, type Disposition } from "../../platform/events/bus.js";
import { contentVersion, searchDocument } from "./documents.js";
import type { SearchIndex } from "./index.js";

type Handler<E> = (event: E) => Promise<Disposition | void>;

/**
 * How the index follows the catalog. Delivery is at least once and the three event types arrive
 * on separate consumers, so out of order: every write carries its version (the title's
 * updated_at, or the time of the removal) and the index keeps the newest, which makes each
 * handler idempotent and order-independent.
 */
export function catalogEventHandlers(index: SearchIndex): {
  published: Handler<ContentPublished>;
  updated: Handler<ContentUpdated>;
  removed: Handler<ContentRemoved>;
} {
  const apply = async (content: ContentPublished["content"]): Promise<Disposition | void> => {
    if (!content?.contentId) return term("event without content");
    const doc = searchDocument(content);
    // An update of a title members cannot see (it went back to draft): it must not be found.
    if (doc === undefined) await index.remove(content.contentId, contentVersion(content));
    else await index.upsert(doc);
  };
  return {
    published: (event) => apply(event.content),
    updated: (event) => apply(event.content),
    removed: async (event) => {
      if (!event.contentId) return term("removal without a content id");
      await index.remove(event.contentId, occurredAtMs(event.meta));
    },
  };
}

function occurredAtMs(meta: EventMeta | undefined): number {
  return meta?.occurredAt ? timestampMs(meta.occurredAt) : Date.now();
}
