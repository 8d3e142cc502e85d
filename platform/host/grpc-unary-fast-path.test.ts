import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as grpc from "@grpc/grpc-js";
import { fromBinary } from "@bufbuild/protobuf";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import { CatalogService, ListGenresResponseSchema } from "../../gen/cinemesh/catalog/v1/catalog_pb.js";
import { BadRequestSchema } from "../../gen/google/rpc/error_details_pb.js";
import { ECHO_ID, startCatalogHost, WAIT_ID, type CatalogHost } from "./testing/catalog-host.js";

/**
 * Unary gRPC over HTTP/2 is served straight from the stream; everything else goes to connect.
 * Either way a call meets the same interceptors and handlers, and clients see the same protocol.
 */
describe("unary gRPC fast path", () => {
  let catalog: CatalogHost;

  beforeAll(async () => {
    catalog = await startCatalogHost();
  });
  afterAll(() => catalog?.close());

  it("runs the platform interceptors: request id, caller, deadline, metrics", async () => {
    const { token } = await catalog.signer.sign({ userId: "user-1", role: "member", sessionId: "s" }, 60);
    const client = createClient(CatalogService, createGrpcTransport({ baseUrl: catalog.host.url }));
    let header: Headers | undefined;
    const res = await client.getContent(
      { contentId: ECHO_ID },
      { headers: { "x-request-id": "fast-1", authorization: `Bearer ${token}`, "profile-id": "p-1" }, timeoutMs: 5_000, onHeader: (h) => (header = h) },
    );
    expect(res.content).toMatchObject({ title: "fast-1", director: "user-1", language: "p-1", description: "timeout set" });
    expect(header?.get("x-request-id")).toBe("fast-1");
    const metrics = await (await fetch(`${catalog.host.operatorUrl}/metrics`)).text();
    expect(metrics).toMatch(/grpc_server_handled_total\{grpc_service="cinemesh.catalog.v1.CatalogService",grpc_method="GetContent",grpc_code="OK",service="catalog"\} [1-9]/);
  });

  it("answers a rule violation with INVALID_ARGUMENT and a google.rpc.BadRequest detail", async () => {
    const client = createClient(CatalogService, createGrpcTransport({ baseUrl: catalog.host.url }));
    const err = ConnectError.from(await client.getContent({ contentId: "nope" }).catch((e: unknown) => e));
    expect(err.code).toBe(Code.InvalidArgument);
    expect(err.findDetails(BadRequestSchema)[0]?.fieldViolations.map((v) => v.field)).toEqual(["content_id"]);
  });

  it("refuses a deadline longer than the host allows, as connect does", async () => {
    const client = createClient(CatalogService, createGrpcTransport({ baseUrl: catalog.host.url }));
    await expect(client.listGenres({}, { timeoutMs: 60_000 })).rejects.toMatchObject({ code: Code.InvalidArgument });
  });

  it("serves @grpc/grpc-js clients, compressing large answers with the encoding they accept", async () => {
    const client = new grpc.Client(`127.0.0.1:${catalog.host.port}`, grpc.credentials.createInsecure());
    const listGenres = (count: number) =>
      new Promise<Buffer>((resolve, reject) => {
        const metadata = new grpc.Metadata();
        metadata.set("x-genres", String(count));
        client.makeUnaryRequest(
          "/cinemesh.catalog.v1.CatalogService/ListGenres",
          (b: Buffer) => b,
          (b: Buffer) => b,
          Buffer.alloc(0),
          metadata,
          (err, value) => (err ? reject(err) : resolve(value as Buffer)),
        );
      });
    try {
      expect(fromBinary(ListGenresResponseSchema, await listGenres(2)).genres).toHaveLength(2);
      // Over connect's compressMinBytes: sent gzip-compressed, which grpc-js asks for and inflates.
      expect(fromBinary(ListGenresResponseSchema, await listGenres(500)).genres).toHaveLength(500);
    } finally {
      client.close();
    }
  });

  it("leaves Connect (JSON over HTTP/1.1, binary over HTTP/2) and gRPC-web to connect, with the same interceptors", async () => {
    const json = await fetch(`${catalog.host.url}/cinemesh.catalog.v1.CatalogService/GetContent`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-request-id": "json-1" },
      body: JSON.stringify({ contentId: ECHO_ID }),
    });
    expect(json.status).toBe(200);
    expect(json.headers.get("x-request-id")).toBe("json-1");
    expect(await json.json()).toMatchObject({ content: { contentId: ECHO_ID, title: "json-1" } });
    const invalid = await fetch(`${catalog.host.url}/cinemesh.catalog.v1.CatalogService/GetContent`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ contentId: "nope" }),
    });
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toMatchObject({ code: "invalid_argument", details: [{ type: "google.rpc.BadRequest" }] });
    for (const transport of [
      createConnectTransport({ baseUrl: catalog.host.url, httpVersion: "2" }),
      createGrpcWebTransport({ baseUrl: catalog.host.url, httpVersion: "1.1" }),
    ]) {
      const res = await createClient(CatalogService, transport).getContent({ contentId: ECHO_ID }, { headers: { "x-request-id": "other-1" } });
      expect(res.content?.title).toBe("other-1");
    }
  });

  it("puts no per-call abort listener on a shared signal, whichever way calls are served", async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on("warning", onWarning);
    try {
      const transports = [createGrpcTransport({ baseUrl: catalog.host.url }), createConnectTransport({ baseUrl: catalog.host.url, httpVersion: "1.1" })];
      for (const transport of transports) {
        const client = createClient(CatalogService, transport);
        // More calls in flight at once than Node's default limit of listeners on one EventTarget.
        const waits = Array.from({ length: 12 }, () => catalog.nextWait());
        const aborts = waits.map(() => new AbortController());
        const calls = aborts.map((a) => client.getContent({ contentId: WAIT_ID }, { signal: a.signal }).catch(() => undefined));
        await Promise.all(waits.map((w) => w.started));
        for (const a of aborts) a.abort();
        await Promise.all([...calls, ...waits.map((w) => w.aborted)]);
      }
      await new Promise((r) => setImmediate(r));
      expect(warnings).not.toContain("MaxListenersExceededWarning");
    } finally {
      process.off("warning", onWarning);
    }
  });
});
