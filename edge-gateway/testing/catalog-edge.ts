import { startCatalogHost, type CatalogHost } from "../../platform/host/testing/catalog-host.js";
import type { EdgeGateway, EdgeOptions } from "../gateway.js";
import { startTestEdge } from "./test-edge.js";

/** A test catalog host behind an edge (tests only), rate limits off; `edge` overrides the edge's options. */
export async function startCatalogBehindEdge(edge: Partial<EdgeOptions> = {}): Promise<{ catalog: CatalogHost; edge: EdgeGateway; close(): Promise<void> }> {
  const catalog = await startCatalogHost();
  const gateway = await startTestEdge({ env: { CATALOG_ADDR: catalog.host.url }, ...edge });
  return {
    catalog,
    edge: gateway,
    async close() {
      await gateway.close();
      await catalog.close();
    },
  };
}
