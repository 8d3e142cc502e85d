import http2 from "node:http2";
import { create, toBinary } from "@bufbuild/protobuf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GetContentRequestSchema } from "../../gen/cinemesh/catalog/v1/catalog_pb.js";
import { startCatalogHost, WAIT_ID, type CatalogHost } from "./testing/catalog-host.js";
import { encodeEnvelope, GET_CONTENT, LIST_GENRES, rawGrpcCall } from "./testing/raw-rpc.js";

/**
 * A client may reset its stream with any error code while its call is in flight (a proxy that
 * gives up, a client that crashes). That is the client's business: the service cancels the call and
 * keeps serving, on the gRPC fast path and on connect's path alike.
 */
describe("a stream the client resets with an error code", () => {
  let catalog: CatalogHost;

  beforeAll(async () => {
    catalog = await startCatalogHost();
  });
  afterAll(() => catalog?.close());

  const request = Buffer.from(toBinary(GetContentRequestSchema, create(GetContentRequestSchema, { contentId: WAIT_ID })));
  const waitingCall = (headers: http2.OutgoingHttpHeaders, body: Buffer) => {
    const session = http2.connect(catalog.host.url);
    session.on("error", () => undefined);
    const stream = session.request({ ":method": "POST", ":path": GET_CONTENT, te: "trailers", ...headers });
    stream.on("error", () => undefined);
    stream.end(body);
    return { session, stream };
  };

  for (const [path, headers, body] of [
    ["the gRPC fast path", { "content-type": "application/grpc" }, () => encodeEnvelope(request)],
    ["connect's gRPC handler (a compressed-capable request)", { "content-type": "application/grpc", "grpc-encoding": "gzip" }, () => encodeEnvelope(request)],
    ["Connect over HTTP/2", { "content-type": "application/proto" }, () => request],
  ] as const) {
    it(`cancels the call and keeps serving: ${path}`, async () => {
      const wait = catalog.nextWait();
      const { session, stream } = waitingCall(headers, body());
      await wait.started;
      stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR);
      await wait.aborted;
      session.close();
      expect(await rawGrpcCall(catalog.host.url, LIST_GENRES, [encodeEnvelope(Buffer.alloc(0))])).toMatchObject({ grpcStatus: 0 });
    });
  }
});
