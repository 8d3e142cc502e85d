import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { BrowseService } from "../../gen/cinemesh/browse/v1/browse_pb.js";
import { CatalogService } from "../../gen/cinemesh/catalog/v1/catalog_pb.js";
import { generateAuthKeyPair } from "../../platform/auth/tokens.js";
import { startService } from "../../platform/host/run-service.js";
import { browseService } from "./service.js";
import { startStandIn } from "../../platform/testing/stand-in.js";

describe("browse: category pages", () => {
  const stops: Array<() => Promise<void>> = [];
  let browseUrl: string;

  beforeAll(async () => {
    const env = { AUTH_PUBLIC_KEY: (await generateAuthKeyPair()).publicKeyPem, LOG_LEVEL: "silent", CATALOG_PORT: "0", BROWSE_PORT: "0" };
    // The catalog (another service) is stood in for: it echoes what reached it.
    const catalog = await startStandIn("catalog", CatalogService, env, {
      listByCategory: (req, ctx) => ({
        content: [{ contentId: "c1", title: `${req.category}|${req.page}|${req.limit}|${req.sortBy}|profile=${ctx.requestHeader.get("profile-id")}` }],
        totalCount: 41,
      }),
    });
    const browse = await startService(browseService, { ...env, CATALOG_ADDR: catalog.host.url });
    stops.push(browse.stop, catalog.stop);
    browseUrl = browse.host.url;
  });
  afterAll(async () => {
    for (const stop of stops) await stop();
  });

  it("serves the catalog's page for the category, for the caller's profile", async () => {
    const browse = createClient(BrowseService, createGrpcTransport({ baseUrl: browseUrl }));
    const page = await browse.getCategoryPage({ category: "Action", page: 2, limit: 10, sortBy: "newest" }, { headers: { "profile-id": "p-1" } });
    expect(page.category).toBe("Action");
    expect(page.totalCount).toBe(41);
    expect(page.content.map((c) => c.title)).toEqual(["Action|2|10|newest|profile=p-1"]);
  });

  it("says the home page is not built yet rather than leaving GetHome out", async () => {
    const browse = createClient(BrowseService, createGrpcTransport({ baseUrl: browseUrl }));
    const err = await browse.getHome({}).then(
      () => undefined,
      (e: unknown) => ConnectError.from(e),
    );
    expect([err?.code, err?.rawMessage]).toEqual([Code.Unimplemented, "GetHome is not built yet"]);
  });
});
