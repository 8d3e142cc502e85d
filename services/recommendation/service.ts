import { ProgressRecordedSchema, TitleCompletedSchema } from "../../gen/cinemesh/events/v1/library_events_pb.js";
import { RecommendationService } from "../../gen/cinemesh/recommendation/v1/recommendation_pb.js";
import type { ServiceDefinition } from "../../platform/host/run-service.js";
import { notBuiltYet, serviceRoutes } from "../../platform/rpc/service-routes.js";
import { createPostgresWatchSignalStore } from "./store-postgres.js";
import { onProgressRecorded, onTitleCompleted } from "./watch-events.js";

export const SCHEMA = "recommendation";

/**
 * The recommendation service. It keeps the watch signals ranking will use (library's
 * ProgressRecorded and TitleCompleted, per profile and title, in Postgres schema `recommendation`);
 * the ranking itself is not built yet, so every RPC says so (UNIMPLEMENTED).
 */
export const recommendationService: ServiceDefinition = {
  name: "recommendation",
  services: [RecommendationService],
  async setup({ resources }) {
    const pool = await resources.postgres(SCHEMA, new URL("./migrations/", import.meta.url));
    const store = createPostgresWatchSignalStore(pool, SCHEMA);
    const progress = await resources.events.subscribe("recommendation-progress", ProgressRecordedSchema, onProgressRecorded(store));
    resources.onClose(() => progress.stop());
    const completions = await resources.events.subscribe("recommendation-completions", TitleCompletedSchema, onTitleCompleted(store));
    resources.onClose(() => completions.stop());
    return {
      routes: serviceRoutes(RecommendationService, {
        getRecommendations: () => notBuiltYet("GetRecommendations"),
        getTrending: () => notBuiltYet("GetTrending"),
        getBecauseYouWatched: () => notBuiltYet("GetBecauseYouWatched"),
      }),
    };
  },
};
