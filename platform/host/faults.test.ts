import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { CatalogService } from "../../gen/cinemesh/catalog/v1/catalog_pb.js";
import { Health, HealthCheckResponse_ServingStatus } from "../../gen/grpc/health/v1/health_pb.js";
import { FaultSwitch } from "./faults.js";
import { startCatalogHost, type CatalogHost } from "./testing/catalog-host.js";

describe("injected faults", () => {
  let withFaults: CatalogHost;
  let without: CatalogHost;
  const put = (base: string, body: string) => fetch(`${base}/faults`, { method: "PUT", body });

  beforeAll(async () => {
    withFaults = await startCatalogHost({ faults: new FaultSwitch() });
    without = await startCatalogHost();
  });
  afterAll(async () => {
    await withFaults.close();
    await without.close();
  });

  it("delays the service's calls once an operator sets a delay, and stops when it is set back to 0", async () => {
    const transport = createConnectTransport({ baseUrl: withFaults.host.url, httpVersion: "1.1" });
    const catalog = createClient(CatalogService, transport);
    expect((await catalog.listGenres({}, { timeoutMs: 5_000 })).genres).toHaveLength(3);

    const set = await put(withFaults.host.operatorUrl, JSON.stringify({ delayMs: 120_000 }));
    expect(set.status).toBe(200);
    expect(await set.json()).toEqual({ delayMs: 120_000 });
    expect(await (await fetch(`${withFaults.host.operatorUrl}/faults`)).json()).toEqual({ delayMs: 120_000 });

    const late = await catalog.listGenres({}, { timeoutMs: 300 }).catch((e: unknown) => ConnectError.from(e));
    expect(late).toBeInstanceOf(ConnectError);
    expect((late as ConnectError).code).toBe(Code.DeadlineExceeded);
    // Probes are never slowed: a slow service is still a live one.
    const health = createClient(Health, transport);
    expect((await health.check({ service: "" }, { timeoutMs: 5_000 })).status).toBe(HealthCheckResponse_ServingStatus.SERVING);

    expect((await put(withFaults.host.operatorUrl, '{"delayMs":0}')).status).toBe(200);
    expect((await catalog.listGenres({}, { timeoutMs: 5_000 })).genres).toHaveLength(3);
  });

  it("refuses a fault it cannot apply, and leaves the current ones as they were", async () => {
    expect((await put(withFaults.host.operatorUrl, '{"delayMs":150}')).status).toBe(200);
    for (const body of ["not json", "[]", '{"delayMs":-1}', '{"delayMs":1.5}', '{"delayMs":"2s"}', '{"dropRate":0.5}']) {
      const res = await put(withFaults.host.operatorUrl, body);
      expect(res.status, body).toBe(400);
      expect(((await res.json()) as { code: string }).code).toBe("invalid_argument");
    }
    expect(await (await fetch(`${withFaults.host.operatorUrl}/faults`)).json()).toEqual({ delayMs: 150 });
    expect((await fetch(`${withFaults.host.operatorUrl}/faults`, { method: "DELETE" })).status).toBe(405);
    await put(withFaults.host.operatorUrl, '{"delayMs":0}');
  });

  it("cannot be reached where faults are off, nor on the service port", async () => {
    expect((await put(without.host.operatorUrl, '{"delayMs":1000}')).status).toBe(404);
    expect((await put(withFaults.host.url, '{"delayMs":1000}')).status).toBe(404);
  });
});
