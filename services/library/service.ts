import { CatalogService } from "../../gen/cinemesh/catalog/v1/catalog_pb.js";
import { ContentRemovedSchema } from "../../gen/cinemesh/events/v1/catalog_events_pb.js";
import { IdentityService } from "../../gen/cinemesh/identity/v1/identity_pb.js";
import { LibraryService } from "../../gen/cinemesh/library/v1/library_pb.js";
import type { ServiceDefinition } from "../../platform/host/run-service.js";
import { onContentRemoved } from "./content-removed.js";
import { myListHandlers } from "./handlers.js";
import { createPostgresMyListStore } from "./store-postgres.js";

const SCHEMA = "library";

/**
 * The library service. My List is implemented (Postgres, schema `library`, events through its
 * outbox); watch progress, history, continue watching and resume positions are not yet, so those
 * RPCs answer UNIMPLEMENTED.
 */
export const libraryService: ServiceDefinition = {
  name: "library",
  services: [LibraryService],
  async setup({ resources, upstreams }) {
    const pool = await resources.postgres(SCHEMA, new URL("./migrations/", import.meta.url));
    await resources.startOutboxRelay(SCHEMA);
    const store = createPostgresMyListStore(pool, SCHEMA, resources.events);
    const removals = await resources.events.subscribe("library-mylist", ContentRemovedSchema, onContentRemoved(store));
    resources.onClose(() => removals.stop());
    const myList = myListHandlers({ store, identity: upstreams.client(IdentityService), catalog: upstreams.client(CatalogService) });
    return { routes: (router) => router.service(LibraryService, myList) };
  },
};
