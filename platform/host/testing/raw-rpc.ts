import http2 from "node:http2";
import { encodeEnvelope } from "../../rpc/grpc-envelope.js";

/** How a gRPC or gRPC-web call ended, read off the wire (status in headers or trailers). */
export interface RawStatus {
  httpStatus: number;
  grpcStatus: number | undefined;
  message: string;
}

export { encodeEnvelope };

/** Request paths of the test catalog host's two RPCs. */
export const GET_CONTENT = "/cinemesh.catalog.v1.CatalogService/GetContent";
export const LIST_GENRES = "/cinemesh.catalog.v1.CatalogService/ListGenres";
/** Not a protobuf message: a varint that never ends (what a fuzzer sent). */
export const GARBAGE = Buffer.from([0xff, 0xff, 0xff]);

/**
 * A unary gRPC call over h2c with a body given as raw bytes (tests only), so that malformed and
 * oversized requests can be sent. With `end: false` the request body is left open: an answer then
 * proves the server did not wait for the rest of it.
 */
export function rawGrpcCall(baseUrl: string, path: string, chunks: Buffer[], opts: { end?: boolean; headers?: http2.OutgoingHttpHeaders } = {}): Promise<RawStatus> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(baseUrl);
    session.on("error", reject);
    const stream = session.request({ ":method": "POST", ":path": path, "content-type": "application/grpc", te: "trailers", ...opts.headers });
    let head: http2.IncomingHttpHeaders = {};
    let trailers: http2.IncomingHttpHeaders = {};
    stream.on("response", (h) => (head = h));
    stream.on("trailers", (t) => (trailers = t));
    stream.on("error", () => undefined);
    stream.resume();
    stream.on("close", () => {
      session.close();
      const status = trailers["grpc-status"] ?? head["grpc-status"];
      const message = trailers["grpc-message"] ?? head["grpc-message"];
      resolve({ httpStatus: Number(head[":status"] ?? 0), grpcStatus: status === undefined ? undefined : Number(status), message: decodeURIComponent(String(message ?? "")) });
    });
    for (const c of chunks) stream.write(c);
    if (opts.end !== false) stream.end();
  });
}

/** A gRPC-web call over HTTP/1.1 with a raw body (tests only): the status from the headers or the trailer message. */
export async function rawGrpcWebCall(baseUrl: string, path: string, body: Buffer, headers: Record<string, string> = {}): Promise<RawStatus> {
  const res = await fetch(`${baseUrl}${path}`, { method: "POST", headers: { "content-type": "application/grpc-web+proto", ...headers }, body });
  const bytes = Buffer.from(await res.arrayBuffer());
  const fields = new Map<string, string>();
  for (let at = 0; at + 5 <= bytes.length; ) {
    const length = bytes.readUInt32BE(at + 1);
    if (bytes[at] === 0x80) {
      for (const line of bytes.subarray(at + 5, at + 5 + length).toString("utf8").split("\r\n")) {
        const i = line.indexOf(":");
        if (i > 0) fields.set(line.slice(0, i).trim().toLowerCase(), line.slice(i + 1).trim());
      }
    }
    at += 5 + length;
  }
  const status = res.headers.get("grpc-status") ?? fields.get("grpc-status");
  const message = res.headers.get("grpc-message") ?? fields.get("grpc-message") ?? "";
  return { httpStatus: res.status, grpcStatus: status === undefined ? undefined : Number(status), message: decodeURIComponent(message) };
}
