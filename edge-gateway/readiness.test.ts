import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { CatalogService } from "../gen/cinemesh/catalog/v1/catalog_pb.js";
import { SearchService } from "../gen/cinemesh/search/v1/search_pb.js";
import { Health, HealthCheckResponse_ServingStatus as Status } from "../gen/grpc/health/v1/health_pb.js";
import { generateAuthKeyPair } from "../platform/auth/tokens.js";
import { freePort } from "../platform/storage/testing/free-port.js";
import { startCatalogFake } from "../platform/testing/catalog-fake.js";
import { startStandIn } from "../platform/testing/stand-in.js";
import { startEdgeGateway, type EdgeGateway } from "./gateway.js";
import { testEdgeOptions } from "./testing/test-edge.js";

/** Polls `probe` until it returns true (bounded by the test's timeout, not measured). */
async function eventually(probe: () => Promise<boolean>): Promise<void> {
  while (!(await probe())) await new Promise((r) => setTimeout(r, 100));
}

/**
 * The edge started before the services behind it, as `npm start` and a rolling deploy do: alive at
 * once, ready (and its grpc.health SERVING) only once every upstream has been, calls made meanwhile
 * wait for their service instead of failing, and one service lost later does not unready it.
 */
describe("edge readiness", () => {
  let edge: EdgeGateway;
  let env: Record<string, string>;
  const stops: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    const keys = await generateAuthKeyPair();
    const searchPort = await freePort();
    env = { AUTH_PUBLIC_KEY: keys.publicKeyPem, LOG_LEVEL: "silent", CATALOG_PORT: "0", SEARCH_PORT: String(searchPort), CATALOG_OPERATOR_PORT: "0", SEARCH_OPERATOR_PORT: "0" };
    const catalog = await startCatalogFake(env);
    stops.push(catalog.stop);
    edge = await startEdgeGateway(
      await testEdgeOptions({ env: { CATALOG_ADDR: catalog.url, SEARCH_ADDR: `http://127.0.0.1:${searchPort}` }, services: [CatalogService, SearchService], upstreamTimeoutMs: 20_000 }),
    );
  });
  afterAll(async () => {
    await edge?.close();
    for (const stop of stops) await stop();
  });

  const edgeHealth = async (base: string) => (await createClient(Health, createGrpcTransport({ baseUrl: base })).check({ service: "" })).status;

  it("is alive but not ready while a service behind it is down, and says which", async () => {
    expect((await fetch(`${edge.url}/livez`)).status).toBe(200);
    // The catalog's first probe may time out on a busy machine: readiness follows the upstreams, so wait for its answer.
    let ready = await fetch(`${edge.url}/readyz`);
    let body = (await ready.json()) as { notReady?: string[] };
    while (JSON.stringify(body.notReady) !== '["search"]') {
      await new Promise((r) => setTimeout(r, 100));
      ready = await fetch(`${edge.url}/readyz`);
      body = (await ready.json()) as { notReady?: string[] };
    }
    expect(ready.status).toBe(503);
    expect(body).toEqual({ status: "NOT_SERVING", notReady: ["search"] });
    expect((await fetch(`${edge.operatorUrl}/readyz`)).status).toBe(503);
    expect((await fetch(`${edge.url}/healthz`)).status).toBe(503);
    expect(await edgeHealth(edge.url)).toBe(Status.NOT_SERVING);
  });

  it("holds a call made before its service listens, and answers it once the service is up; then it is ready", async () => {
    let answered = false;
    const pending = fetch(`${edge.url}/api/v1/content/search?query=heat`).finally(() => (answered = true));
    await new Promise((r) => setTimeout(r, 300));
    expect(answered).toBe(false);
    const search = await startStandIn("search", SearchService, env, { searchContent: (req) => ({ results: [{ title: req.query }], totalCount: 1 }) });
    stops.push(search.stop);
    const res = await pending;
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ results: [{ title: "heat" }] });

    await eventually(async () => (await fetch(`${edge.url}/readyz`)).status === 200);
    expect(await (await fetch(`${edge.url}/readyz`)).json()).toEqual({ status: "SERVING" });
    await eventually(async () => (await edgeHealth(edge.url)) === Status.SERVING);
    expect(await edgeHealth(edge.operatorUrl)).toBe(Status.SERVING);
  });

  it("stays ready when a service goes away later: it still serves every other route", async () => {
    await stops.pop()!(); // the search stand-in
    // Past several probe intervals: an edge that followed each service would be unready by now.
    await new Promise((r) => setTimeout(r, 3_000));
    expect((await fetch(`${edge.url}/readyz`)).status).toBe(200);
    expect(await edgeHealth(edge.url)).toBe(Status.SERVING);
    // The catalog still answers through it (an unknown title is its NOT_FOUND, not the edge's 503).
    const res = await fetch(`${edge.url}/api/v1/content/3f0c6a52-8d1e-4b7a-9c2f-5e6d7a8b9c0d`);
    expect(res.status).toBe(404);
  });
});
