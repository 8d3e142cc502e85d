import { CatalogService } from "../../gen/cinemesh/catalog/v1/catalog_pb.js";
import { ContentRemovedSchema } from "../../gen/cinemesh/events/v1/catalog_events_pb.js";
import { IdentityService } from "../../gen/cinemesh/identity/v1/identity_pb.js";
import { LibraryService } from "../../gen/cinemesh/library/v1/library_pb.js";
import type { ServiceDefinition } from "../../platform/host/run-service.js";
import { cachedProfileCheck } from "../../platform/rpc/profile-access.js";
import { cachedVideoFacts } from "../../platform/rpc/video-facts.js";
import { serviceRoutes } from "../../platform/rpc/service-routes.js";
import { openWideColumn } from "../../platform/storage/select-widecolumn.js";
import { readLibraryConfig } from "./config.js";
import { onContentRemoved } from "./content-removed.js";
import { myListHandlers } from "./handlers.js";
import { outboxProgressAnnouncer } from "./progress-announcer.js";
import { startProgressFlusher } from "./progress-flusher.js";
import { progressHandlers } from "./progress-handlers.js";
import { ProgressRecorder } from "./progress-recorder.js";
import { ProgressState } from "./progress-state.js";
import { createPostgresMyListStore } from "./store-postgres.js";
import { loadHistory } from "./watch-history.js";
import { createWideColumnWatchStore } from "./watch-store-widecolumn.js";

const SCHEMA = "library";

/**
 * The library service.
 *
 * - My List: Postgres (schema `library`), MyListItemAdded/Removed through its outbox in the same
 *   transaction as the change; titles leave every list on ContentRemoved.
 * - Watch progress, history, continue watching, resume positions: the wide-column store
 *   (ScyllaDB when SCYLLA_CONTACT_POINTS is set, else tables in the `library` schema), debounced
 *   through kv (Redis when REDIS_URL is set, else in-process): see progress-recorder.ts for the
 *   debounce, the trailing write and the ordering of a write with its events (ProgressRecorded,
 *   TitleCompleted, through the same outbox), and progress-flusher.ts for the trailing writes.
 *   Settings: config.ts (LIBRARY_PROGRESS_WINDOW_MS, LIBRARY_PROGRESS_FLUSH_INTERVAL_MS, ...).
 */
export const libraryService: ServiceDefinition = {
  name: "library",
  services: [LibraryService],
  async setup({ env, logger, resources, upstreams }) {
    const config = readLibraryConfig(env);
    const pool = await resources.postgres(SCHEMA, new URL("./migrations/", import.meta.url));
    await resources.startOutboxRelay(SCHEMA);
    const identity = upstreams.client(IdentityService);
    const catalog = upstreams.client(CatalogService);

    const kv = await resources.kv();
    // One remembered check of the path's profile for My List and progress alike.
    const profiles = cachedProfileCheck({ identity, kv, keyPrefix: config.kvPrefix });

    const store = createPostgresMyListStore(pool, SCHEMA, resources.events);
    const removals = await resources.events.subscribe("library-mylist", ContentRemovedSchema, onContentRemoved(store));
    resources.onClose(() => removals.stop());
    const myList = myListHandlers({ store, profiles, catalog });

    const wide = await openWideColumn(env, { pool, schema: SCHEMA, log: logger });
    resources.onClose(() => wide.close());
    const watch = await createWideColumnWatchStore(wide);
    const state = new ProgressState(kv, `${config.kvPrefix}progress:`, config.progressWindowMs);
    const recorder = new ProgressRecorder({ state, store: watch, announce: outboxProgressAnnouncer(pool, SCHEMA, resources.events), windowMs: config.progressWindowMs });
    const flusher = startProgressFlusher({ state, recorder, intervalMs: config.progressFlushIntervalMs, windowMs: config.progressWindowMs, log: logger });
    const progress = progressHandlers({
      recorder,
      history: (profileId) => loadHistory({ store: watch, state }, profileId),
      video: cachedVideoFacts({ catalog, kv, keyPrefix: config.kvPrefix, ttlMs: config.videoCacheTtlMs }),
      profiles,
      catalog,
    });

    return {
      routes: serviceRoutes(LibraryService, { ...myList, ...progress }),
      // After the last call, before the engines close: the held-back reports are written now.
      close: () => flusher.stop(),
    };
  },
};
