import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Code, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { CatalogService } from "../gen/cinemesh/catalog/v1/catalog_pb.js";
import { encodeEnvelope, GARBAGE, GET_CONTENT, LIST_GENRES, rawGrpcCall, rawGrpcWebCall } from "../platform/host/testing/raw-rpc.js";
import type { EdgeGateway } from "./gateway.js";
import { startCatalogBehindEdge } from "./testing/catalog-edge.js";

const LIMIT = 8 * 1024;

/** RPCs forwarded by the edge: bodies are bounded, undecodable ones are the caller's error, idle sockets close. */
describe("edge RPC limits", () => {
  let edge: EdgeGateway;

  let close: () => Promise<void> = async () => undefined;

  beforeAll(async () => {
    ({ edge, close } = await startCatalogBehindEdge({ maxRpcBodyBytes: LIMIT, timeouts: { idleMs: 150, headersMs: 150 } }));
  });
  afterAll(() => close());

  const stillServes = async () => {
    const res = await createClient(CatalogService, createGrpcTransport({ baseUrl: edge.url })).listGenres({});
    expect(res.genres).toHaveLength(3);
  };

  it("answers a body that does not decode with INVALID_ARGUMENT on Connect, gRPC and gRPC-web", async () => {
    const connect = await fetch(`${edge.url}${GET_CONTENT}`, { method: "POST", headers: { "content-type": "application/proto" }, body: GARBAGE });
    expect(connect.status).toBe(400);
    expect(await connect.json()).toMatchObject({ code: "invalid_argument" });
    const json = await fetch(`${edge.url}${GET_CONTENT}`, { method: "POST", headers: { "content-type": "application/json" }, body: "{not json" });
    expect(json.status).toBe(400);
    expect(await rawGrpcCall(edge.url, GET_CONTENT, [encodeEnvelope(GARBAGE)])).toMatchObject({ grpcStatus: Code.InvalidArgument });
    expect(await rawGrpcWebCall(edge.url, GET_CONTENT, encodeEnvelope(GARBAGE))).toMatchObject({ grpcStatus: Code.InvalidArgument });
  });

  it("refuses a Connect body over the limit with 413, and a gRPC-web one with RESOURCE_EXHAUSTED", async () => {
    const big = Buffer.alloc(LIMIT + 1);
    const connect = await fetch(`${edge.url}${LIST_GENRES}`, { method: "POST", headers: { "content-type": "application/proto" }, body: big });
    expect(connect.status).toBe(413);
    expect(await connect.json()).toMatchObject({ code: "resource_exhausted" });
    expect(await rawGrpcWebCall(edge.url, LIST_GENRES, encodeEnvelope(big))).toMatchObject({ grpcStatus: Code.ResourceExhausted });
    await stillServes();
  });

  it("refuses a gRPC body that grows past the limit (no declared length) without waiting for its end", async () => {
    const res = await rawGrpcCall(edge.url, LIST_GENRES, [encodeEnvelope(Buffer.alloc(16)), Buffer.alloc(LIMIT)], { end: false });
    expect(res).toMatchObject({ grpcStatus: Code.ResourceExhausted });
    await stillServes();
  });

  it("closes a client socket that sends nothing", async () => {
    const socket = net.connect(edge.port, "127.0.0.1");
    socket.on("error", () => undefined);
    await new Promise<void>((resolve) => socket.once("close", () => resolve()));
  });
});
