import { CatalogService } from "../../gen/cinemesh/catalog/v1/catalog_pb.js";
import { startService } from "../../platform/host/run-service.js";
import { exitOnSignal } from "../../platform/host/run-service.js";
import { HOP_GENRES } from "./hop-fixture.js";

/**
 * The service side of the hop benchmark: the real catalog contract on the real platform host, with
 * ListGenres answering a fixed list so that the benchmark measures the hop, not a database.
 */
const { host, stop } = await startService(
  {
    name: "catalog",
    services: [CatalogService],
    setup: async () => ({ routes: (router) => router.service(CatalogService, { listGenres: () => ({ genres: HOP_GENRES }) }) }),
  },
  process.env,
);
process.send?.({ port: host.port });
exitOnSignal(stop);
