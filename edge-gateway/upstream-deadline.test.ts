import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Code, ConnectError } from "@connectrpc/connect";
import { WAIT_ID, type CatalogHost } from "../platform/host/testing/catalog-host.js";
import type { EdgeGateway } from "./gateway.js";
import { startCatalogBehindEdge } from "./testing/catalog-edge.js";

/** A REST call's upstream gRPC call ends with the edge's deadline, or when the client leaves. */
describe("edge upstream calls", () => {
  let catalog: CatalogHost;
  let edge: EdgeGateway;
  let close: () => Promise<void> = async () => undefined;

  beforeAll(async () => {
    // Generous enough for the call to reach the handler on a busy machine.
    ({ catalog, edge, close } = await startCatalogBehindEdge({ upstreamTimeoutMs: 500 }));
  });
  afterAll(() => close());

  it("answers 504 with deadline_exceeded when the service does not answer in time", async () => {
    const wait = catalog.nextWait();
    const res = await fetch(`${edge.url}/api/v1/content/${WAIT_ID}`);
    await wait.started;
    expect(res.status).toBe(504);
    expect(await res.json()).toMatchObject({ code: "deadline_exceeded" });
    // The deadline travelled as grpc-timeout, or the reset stream ended the call: either way it ended.
    expect([Code.DeadlineExceeded, Code.Canceled]).toContain(ConnectError.from(await wait.aborted).code);
  });

  it("cancels the upstream call when the client goes away", async () => {
    const wait = catalog.nextWait();
    const req = http.get(`${edge.url}/api/v1/content/${WAIT_ID}`);
    req.on("error", () => undefined);
    await wait.started;
    req.destroy();
    expect(ConnectError.from(await wait.aborted).code).toBe(Code.Canceled);
  });
});
