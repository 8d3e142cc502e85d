import { describe, expect, it } from "vitest";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { CatalogService } from "../../gen/cinemesh/catalog/v1/catalog_pb.js";
import { Health } from "../../gen/grpc/health/v1/health_pb.js";
import { createTokenVerifier, generateAuthKeyPair } from "../auth/tokens.js";
import { createLogger } from "../logger.js";
import { startServiceHost } from "./service-host.js";

describe("graceful shutdown", () => {
  it("finishes calls in flight, ends streams, and refuses new connections", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let entered!: () => void;
    const inHandler = new Promise<void>((r) => (entered = r));
    const host = await startServiceHost({
      name: "catalog",
      port: 0,
      host: "127.0.0.1",
      logger: createLogger("catalog", "silent"),
      verifier: await createTokenVerifier((await generateAuthKeyPair()).publicKeyPem),
      services: [CatalogService],
      routes: (r) =>
        r.service(CatalogService, {
          listGenres: async () => {
            entered();
            await gate;
            return { genres: [{ name: "Drama" }] };
          },
        }),
      maxTimeoutMs: 30_000,
      shutdownGraceMs: 10_000,
    });
    const catalog = createClient(CatalogService, createGrpcTransport({ baseUrl: host.url }));
    const health = createClient(Health, createGrpcTransport({ baseUrl: host.url }));

    const watch = health.watch({ service: "" })[Symbol.asyncIterator]();
    expect((await watch.next()).value?.status).toBe(1); // SERVING
    const inFlight = catalog.listGenres({});
    await inHandler;

    const closed = host.close();
    // Health turns NOT_SERVING at once, so load balancers stop sending work.
    expect((await watch.next()).value?.status).toBe(2);
    release();
    expect((await inFlight).genres.map((g) => g.name)).toEqual(["Drama"]);
    await closed;
    // The watch stream was ended by the shutdown, not left hanging.
    const end = await watch.next().then(
      (r) => (r.done ? "done" : "another message"),
      (err: unknown) => Code[ConnectError.from(err).code],
    );
    expect(end).toBe("Unavailable");
    const fresh = createClient(Health, createGrpcTransport({ baseUrl: host.url }));
    await expect(fresh.check({ service: "" })).rejects.toMatchObject({ code: Code.Unavailable });
  });
});
