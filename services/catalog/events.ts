import type pg from "pg";
import { ContentPublishedSchema, ContentRemovedSchema, ContentUpdatedSchema } from "../../gen/cinemesh/events/v1/catalog_events_pb.js";
import { create } from "@bufbuild/protobuf";
import type { DomainEvents } from "../../platform/events/domain-events.js";
import { callScope } from "../../platform/rpc/call-scope.js";
import type { CatalogEvent } from "./model.js";
import { contentMessage, DETAIL } from "./to-proto.js";

/**
 * Writes a catalog event into the service's outbox, as the proto message consumers decode
 * (proto/cinemesh/events/v1/catalog_events.proto), inside the caller's transaction.
 */
export function catalogEventWriter(events: DomainEvents, outboxSchema: string) {
  return async (tx: pg.ClientBase, event: CatalogEvent): Promise<void> => {
    // The request that caused the change, for tracing it through consumers.
    const meta = events.meta(callScope.getStore()?.requestId ?? "");
    switch (event.kind) {
      case "published":
        return events.enqueue(tx, outboxSchema, ContentPublishedSchema, create(ContentPublishedSchema, { meta, content: contentMessage(event.title, DETAIL) }));
      case "updated":
        return events.enqueue(
          tx,
          outboxSchema,
          ContentUpdatedSchema,
          create(ContentUpdatedSchema, { meta, content: contentMessage(event.title, DETAIL), changedFields: event.changed }),
        );
      case "removed":
        return events.enqueue(tx, outboxSchema, ContentRemovedSchema, create(ContentRemovedSchema, { meta, contentId: event.contentId, deleted: event.deleted }));
    }
  };
}
