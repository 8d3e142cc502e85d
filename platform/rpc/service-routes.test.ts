import { Code, ConnectError, createClient, createRouterTransport } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { SearchService } from "../../gen/cinemesh/search/v1/search_pb.js";
import { notBuiltYet, serviceRoutes } from "./service-routes.js";

describe("service routes", () => {
  it("refuses, at compile time, an implementation that leaves an RPC out", () => {
    // @ts-expect-error autocomplete is missing: `npm run typecheck` fails if this ever compiles
    const partial = serviceRoutes(SearchService, { searchContent: () => notBuiltYet("SearchContent") });
    expect(typeof partial).toBe("function");
  });

  it("serves an RPC that is not built yet as UNIMPLEMENTED, saying so", async () => {
    const routes = serviceRoutes(SearchService, {
      searchContent: () => ({ results: [], totalCount: 0 }),
      autocomplete: () => notBuiltYet("Autocomplete"),
      reindex: () => notBuiltYet("Reindex"),
    });
    const search = createClient(SearchService, createRouterTransport(routes));
    expect((await search.searchContent({ query: "heist" })).totalCount).toBe(0);
    const err = await search.autocomplete({ prefix: "he" }).then(
      () => undefined,
      (e: unknown) => ConnectError.from(e),
    );
    expect([err?.code, err?.rawMessage]).toEqual([Code.Unimplemented, "Autocomplete is not built yet"]);
  });
});
