import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { Health } from "../../gen/grpc/health/v1/health_pb.js";
import { startCatalogHost, type CatalogHost } from "../host/testing/catalog-host.js";

/** Server streams (Health/Watch here, job progress and notifications in the mesh) are bounded per user and in time. */
describe("stream limits", () => {
  let catalog: CatalogHost;
  let shortLived: CatalogHost;

  beforeAll(async () => {
    catalog = await startCatalogHost({ limits: { maxStreamsPerUser: 3 } });
    shortLived = await startCatalogHost({ limits: { maxStreamLifetimeMs: 300 } });
  });
  afterAll(async () => {
    await catalog?.close();
    await shortLived?.close();
  });

  const watchAs = async (host: CatalogHost, userId: string, signal?: AbortSignal) => {
    const { token } = await host.signer.sign({ userId, role: "member", sessionId: "s" }, 60);
    const health = createClient(Health, createGrpcTransport({ baseUrl: host.host.url }));
    const it = health.watch({ service: "" }, { headers: { authorization: `Bearer ${token}` }, signal })[Symbol.asyncIterator]();
    return { first: () => it.next(), next: () => it.next() };
  };

  it("refuses one stream more than a user may hold with RESOURCE_EXHAUSTED; other users and a closed slot are free", async () => {
    const aborts = [new AbortController(), new AbortController(), new AbortController()];
    for (const a of aborts) expect((await (await watchAs(catalog, "user-a", a.signal)).first()).value?.status).toBe(1);
    const extra = await watchAs(catalog, "user-a");
    expect(ConnectError.from(await extra.first().catch((e: unknown) => e)).code).toBe(Code.ResourceExhausted);
    // Another user has slots of their own.
    const other = new AbortController();
    expect((await (await watchAs(catalog, "user-b", other.signal)).first()).value?.status).toBe(1);
    // A stream that ends gives its slot back (the server learns of it asynchronously: retry).
    aborts[0].abort();
    const again = new AbortController();
    for (let attempt = 0; ; attempt++) {
      const next = await (await watchAs(catalog, "user-a", again.signal)).first().catch((e: unknown) => e);
      if (!(next instanceof Error) || attempt > 50) {
        expect(next).toMatchObject({ value: { status: 1 } });
        break;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    for (const a of [...aborts, other, again]) a.abort();
  });

  it("ends a stream at its maximum lifetime with DEADLINE_EXCEEDED", async () => {
    const watch = await watchAs(shortLived, "user-c");
    expect((await watch.first()).value?.status).toBe(1);
    const end = await watch.next().then(
      () => "another message",
      (err: unknown) => Code[ConnectError.from(err).code],
    );
    expect(end).toBe("DeadlineExceeded");
  });
});
