import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Code, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { CatalogService } from "../../gen/cinemesh/catalog/v1/catalog_pb.js";
import { startCatalogHost, type CatalogHost } from "./testing/catalog-host.js";
import { encodeEnvelope, GARBAGE, GET_CONTENT, LIST_GENRES, rawGrpcCall, rawGrpcWebCall } from "./testing/raw-rpc.js";

const LIMIT = 64 * 1024;

/** What a service answers to requests it cannot decode or will not read, on every protocol. */
describe("service request limits", () => {
  let catalog: CatalogHost;

  beforeAll(async () => {
    catalog = await startCatalogHost({ limits: { maxRequestBytes: LIMIT } });
  });
  afterAll(() => catalog?.close());

  const stillServes = async () => {
    const res = await createClient(CatalogService, createGrpcTransport({ baseUrl: catalog.host.url })).listGenres({});
    expect(res.genres).toHaveLength(3);
  };

  describe("a body that does not decode is INVALID_ARGUMENT", () => {
    it("Connect, binary: HTTP 400 invalid_argument", async () => {
      const res = await fetch(`${catalog.host.url}${GET_CONTENT}`, { method: "POST", headers: { "content-type": "application/proto" }, body: GARBAGE });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ code: "invalid_argument" });
    });

    it("Connect, JSON that is not JSON: HTTP 400 invalid_argument", async () => {
      const res = await fetch(`${catalog.host.url}${GET_CONTENT}`, { method: "POST", headers: { "content-type": "application/json" }, body: "{not json" });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ code: "invalid_argument" });
    });

    it("gRPC on the unary fast path, and compressed (through connect)", async () => {
      expect(await rawGrpcCall(catalog.host.url, GET_CONTENT, [encodeEnvelope(GARBAGE)])).toMatchObject({ grpcStatus: Code.InvalidArgument });
      const gz = encodeEnvelope(gzipSync(GARBAGE), true);
      expect(await rawGrpcCall(catalog.host.url, GET_CONTENT, [gz], { headers: { "grpc-encoding": "gzip" } })).toMatchObject({ grpcStatus: Code.InvalidArgument });
    });

    it("gRPC-web", async () => {
      expect(await rawGrpcWebCall(catalog.host.url, GET_CONTENT, encodeEnvelope(GARBAGE))).toMatchObject({ httpStatus: 200, grpcStatus: Code.InvalidArgument });
    });
  });

  describe("a message over the limit is RESOURCE_EXHAUSTED, and the service serves the next call", () => {
    it("gRPC fast path: answered from the length prefix, before the body has been sent", async () => {
      const prefix = Buffer.alloc(5);
      prefix.writeUInt32BE(10 * 1024 * 1024, 1);
      // The body stays open: the answer cannot have waited for it.
      const res = await rawGrpcCall(catalog.host.url, LIST_GENRES, [prefix, Buffer.alloc(1024)], { end: false });
      expect(res).toMatchObject({ httpStatus: 200, grpcStatus: Code.ResourceExhausted });
      await stillServes();
    });

    it("gRPC fast path: a body that grows past the limit without a prefix saying so", async () => {
      const small = encodeEnvelope(Buffer.alloc(16));
      const res = await rawGrpcCall(catalog.host.url, LIST_GENRES, [small, Buffer.alloc(LIMIT + 16)], { end: false });
      expect(res.grpcStatus).toBe(Code.ResourceExhausted);
      await stillServes();
    });

    it("Connect and gRPC-web", async () => {
      const big = Buffer.alloc(LIMIT + 1);
      const connect = await fetch(`${catalog.host.url}${LIST_GENRES}`, { method: "POST", headers: { "content-type": "application/proto" }, body: big });
      expect(await connect.json()).toMatchObject({ code: "resource_exhausted" });
      expect(await rawGrpcWebCall(catalog.host.url, LIST_GENRES, encodeEnvelope(big))).toMatchObject({ grpcStatus: Code.ResourceExhausted });
      await stillServes();
    });

    it("a gzip bomb is refused after decompression, on Connect and on gRPC", async () => {
      // 10 MB of zeros, about 10 KB compressed: under the limit on the wire, far over it inflated.
      const bomb = gzipSync(Buffer.alloc(10_000_000));
      expect(bomb.length).toBeLessThan(LIMIT);
      const connect = await fetch(`${catalog.host.url}${LIST_GENRES}`, { method: "POST", headers: { "content-type": "application/proto", "content-encoding": "gzip" }, body: bomb });
      expect(await connect.json()).toMatchObject({ code: "resource_exhausted", message: expect.stringContaining("after decompression") });
      const grpc = await rawGrpcCall(catalog.host.url, LIST_GENRES, [encodeEnvelope(bomb, true)], { headers: { "grpc-encoding": "gzip" } });
      expect(grpc).toMatchObject({ grpcStatus: Code.ResourceExhausted, message: expect.stringContaining("after decompression") });
      await stillServes();
    });
  });
});
