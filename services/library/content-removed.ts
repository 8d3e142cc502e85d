import type { ContentRemoved } from "../../gen/cinemesh/events/v1/catalog_events_pb.js";
import { term, type Disposition } from "../../platform/events/bus.js";
import type { MyListStore } from "./store.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A title that stopped being visible (deleted or unpublished) leaves every My List. Idempotent:
 * a redelivery finds nothing left to remove and announces nothing.
 */
export function onContentRemoved(store: MyListStore): (event: ContentRemoved) => Promise<Disposition | void> {
  return async (event) => {
    // It could never succeed, so redelivering it would only block the consumer.
    if (!UUID.test(event.contentId)) return term(`content id ${JSON.stringify(event.contentId)} is not a UUID`);
    await store.removeEverywhere(event.contentId);
  };
}
