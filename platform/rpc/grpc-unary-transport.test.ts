import { EventEmitter } from "node:events";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { CatalogService } from "../../gen/cinemesh/catalog/v1/catalog_pb.js";
import { BadRequestSchema } from "../../gen/google/rpc/error_details_pb.js";
import { Health, HealthCheckResponse_ServingStatus } from "../../gen/grpc/health/v1/health_pb.js";
import { ECHO_ID, startCatalogHost, WAIT_ID, type CatalogHost } from "../host/testing/catalog-host.js";
import { freePort } from "../storage/testing/free-port.js";
import { createGrpcUnaryTransport, type GrpcUnaryTransport } from "./grpc-unary-transport.js";

describe("gRPC unary transport", () => {
  let catalog: CatalogHost;
  let transport: GrpcUnaryTransport;

  beforeAll(async () => {
    catalog = await startCatalogHost();
    transport = createGrpcUnaryTransport({ baseUrl: catalog.host.url });
  });
  afterAll(async () => {
    transport?.close();
    await catalog?.close();
  });

  it("calls a unary RPC as a connect client's transport", async () => {
    const client = createClient(CatalogService, transport);
    const res = await client.listGenres({});
    expect(res.genres.map((g) => g.name)).toEqual(["Genre 0", "Genre 1", "Genre 2"]);
  });

  it("sends the caller's metadata and deadline, and reads response headers", async () => {
    const { token } = await catalog.signer.sign({ userId: "user-7", role: "member", sessionId: "s" }, 60);
    const res = await transport.call(
      CatalogService.method.getContent,
      { contentId: ECHO_ID },
      { timeoutMs: 5_000, header: { "x-request-id": "req-1", authorization: `Bearer ${token}`, "profile-id": "p-3" } },
    );
    expect(res.message.content).toMatchObject({ title: "req-1", director: "user-7", language: "p-3", description: "timeout set" });
    expect(res.header.get("x-request-id")).toBe("req-1");
  });

  it("reads an error with its details: INVALID_ARGUMENT from validation, with a google.rpc.BadRequest", async () => {
    const err = await transport.call(CatalogService.method.getContent, { contentId: "not-a-uuid" }, {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectError);
    const ce = err as ConnectError;
    expect(ce.code).toBe(Code.InvalidArgument);
    expect(ce.rawMessage).toContain("content_id");
    const [badRequest] = ce.findDetails(BadRequestSchema);
    expect(badRequest.fieldViolations.map((v) => v.field)).toEqual(["content_id"]);
  });

  it("reads a handler's error code and message", async () => {
    const err = await transport.call(CatalogService.method.getContent, { contentId: "00000000-0000-4000-8000-000000000000" }, {}).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: Code.NotFound, rawMessage: "content 00000000-0000-4000-8000-000000000000 not found" });
  });

  it("gives up at the deadline with DEADLINE_EXCEEDED, and the service's call ends too", async () => {
    const wait = catalog.nextWait();
    // Generous enough for the call to reach the handler on a busy machine.
    const pending = transport.call(CatalogService.method.getContent, { contentId: WAIT_ID }, { timeoutMs: 500 }).catch((e: unknown) => e);
    await wait.started;
    expect(await pending).toMatchObject({ code: Code.DeadlineExceeded });
    // The service learns it from its own deadline or from the reset stream, whichever comes first.
    expect([Code.DeadlineExceeded, Code.Canceled]).toContain(ConnectError.from(await wait.aborted).code);
  });

  it("cancels on an aborted signal, and the service sees CANCELED", async () => {
    const wait = catalog.nextWait();
    const abort = new AbortController();
    const pending = transport.call(CatalogService.method.getContent, { contentId: WAIT_ID }, { signal: abort.signal });
    await wait.started;
    abort.abort();
    await expect(pending).rejects.toMatchObject({ code: Code.Canceled });
    expect(ConnectError.from(await wait.aborted).code).toBe(Code.Canceled);
  });

  it("cancels when the caller it serves goes away", async () => {
    const wait = catalog.nextWait();
    const downstream = new EventEmitter();
    const pending = transport.call(CatalogService.method.getContent, { contentId: WAIT_ID }, { cancelOnClose: downstream });
    await wait.started;
    downstream.emit("close");
    await expect(pending).rejects.toMatchObject({ code: Code.Canceled });
    expect(ConnectError.from(await wait.aborted).code).toBe(Code.Canceled);
  });

  it("answers UNAVAILABLE at once when nobody listens at the address and the call has no deadline", async () => {
    const down = createGrpcUnaryTransport({ baseUrl: `http://127.0.0.1:${await freePort()}` });
    await expect(down.call(CatalogService.method.listGenres, {}, {})).rejects.toMatchObject({ code: Code.Unavailable });
    down.close();
  });

  it("waits for an upstream that starts listening after the call was made (wait-for-ready)", async () => {
    const port = await freePort();
    const late = createGrpcUnaryTransport({ baseUrl: `http://127.0.0.1:${port}` });
    let settled = false;
    const pending = late.call(CatalogService.method.listGenres, {}, { timeoutMs: 20_000 }).finally(() => (settled = true));
    // Long enough for the first connection attempts to be refused.
    await new Promise((r) => setTimeout(r, 300));
    expect(settled).toBe(false);
    const upstream = await startCatalogHost({ port });
    try {
      expect((await pending).message.genres).toHaveLength(3);
    } finally {
      late.close();
      await upstream.close();
    }
  });

  it("fails UNAVAILABLE at the deadline when the upstream never comes up, saying it waited", async () => {
    const down = createGrpcUnaryTransport({ baseUrl: `http://127.0.0.1:${await freePort()}` });
    const err = await down.call(CatalogService.method.listGenres, {}, { timeoutMs: 400 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: Code.Unavailable });
    expect((err as ConnectError).rawMessage).toMatch(/not reachable within the call's 400 ms deadline \(.*ECONNREFUSED/);
    down.close();
  });

  it("never sends again a call whose connection was made (it may have reached the service)", async () => {
    let connections = 0;
    const dropper = net.createServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((r) => dropper.listen(0, "127.0.0.1", r));
    const { port } = dropper.address() as net.AddressInfo;
    const t = createGrpcUnaryTransport({ baseUrl: `http://127.0.0.1:${port}` });
    try {
      await expect(t.call(CatalogService.method.listGenres, {}, { timeoutMs: 5_000 })).rejects.toBeInstanceOf(ConnectError);
      expect(connections).toBe(1);
    } finally {
      t.close();
      await new Promise((r) => dropper.close(r));
    }
  });

  it("stops waiting when the caller cancels", async () => {
    const down = createGrpcUnaryTransport({ baseUrl: `http://127.0.0.1:${await freePort()}` });
    const abort = new AbortController();
    const pending = down.call(CatalogService.method.listGenres, {}, { timeoutMs: 60_000, signal: abort.signal });
    await new Promise((r) => setTimeout(r, 100));
    abort.abort();
    await expect(pending).rejects.toMatchObject({ code: Code.Canceled });
    down.close();
  });

  it("hands streaming calls to connect's gRPC transport", async () => {
    const health = createClient(Health, transport);
    for await (const res of health.watch({ service: "" })) {
      expect(res.status).toBe(HealthCheckResponse_ServingStatus.SERVING);
      break;
    }
  });
});
