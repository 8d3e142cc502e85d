import { randomUUID } from "node:crypto";
import { toJson, type DescMessage, type DescMethodUnary, type JsonValue } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import type { NodeReq, NodeRes } from "../../platform/host/listener.js";
import { PROFILE_ID_HEADER } from "../../platform/rpc/context.js";
import type { GrpcUnaryTransport } from "../../platform/rpc/grpc-unary-transport.js";
import { errorBody, httpStatusOf } from "../errors.js";
import { redirectLocation } from "./redirect.js";
import { toRestJson } from "./rest-json.js";
import { BadRequestError, buildRequest } from "./request.js";
import type { RouteTable } from "./routes.js";

export interface TranscoderOptions {
  routes: RouteTable;
  /** The transport to the service that owns a gRPC service. */
  transportFor: (serviceTypeName: string) => GrpcUnaryTransport;
  /** Deadline of each upstream call. */
  timeoutMs: number;
  /** Largest JSON body accepted. */
  maxBodyBytes: number;
}

/**
 * REST/JSON → unary RPC → JSON. Returns false when no route matches the path, so the caller can
 * answer 404; every other outcome (including errors) is written to `res` here.
 */
export function createTranscoder(opts: TranscoderOptions) {
  return async function transcode(req: NodeReq, res: NodeRes, url: URL): Promise<boolean> {
    const requestId = headerOf(req, "x-request-id") ?? randomUUID();
    res.setHeader("x-request-id", requestId);
    let found;
    try {
      found = opts.routes.match(req.method ?? "GET", url.pathname);
    } catch {
      sendError(res, new ConnectError("malformed percent-encoding in the path", Code.InvalidArgument));
      return true;
    }
    if ("allowed" in found) {
      if (found.allowed.length === 0) return false;
      res.setHeader("allow", found.allowed.join(", "));
      sendJson(res, 405, { code: "unimplemented", message: `${req.method} is not allowed on ${url.pathname}`, details: [] });
      return true;
    }
    const { route, vars } = found;
    try {
      const body = route.body === "" ? undefined : await readJson(req, opts.maxBodyBytes);
      const input = buildRequest(route, vars, url.searchParams, body);
      const header: Record<string, string> = { "x-request-id": requestId };
      const auth = headerOf(req, "authorization");
      if (auth !== undefined) header.authorization = auth;
      // The edge is the first hop: the peer address is the client's, whatever the request claims.
      if (req.socket.remoteAddress !== undefined) header["x-forwarded-for"] = req.socket.remoteAddress;
      const profile = headerOf(req, PROFILE_ID_HEADER);
      if (profile !== undefined) header[PROFILE_ID_HEADER] = profile;
      if (route.method.methodKind !== "unary") throw new ConnectError("streaming RPCs are served over Connect, gRPC and gRPC-web, not REST", Code.Unimplemented);
      const method = route.method as DescMethodUnary;
      // A client that goes away cancels the upstream call: the service stops working for nobody.
      const out = await opts.transportFor(route.service.typeName).call(method, input, { timeoutMs: opts.timeoutMs, header, cancelOnClose: res });
      sendMessage(res, route.method.output, out.message, route.responseBody);
    } catch (err) {
      sendError(res, err instanceof BadRequestError ? new ConnectError(err.message, Code.InvalidArgument) : ConnectError.from(err));
    }
    return true;
  };
}

function sendMessage(res: NodeRes, schema: DescMessage, message: object, responseBody: string): void {
  if (schema.typeName === "google.api.HttpBody") {
    const body = message as { contentType: string; data: Uint8Array };
    res.writeHead(200, { "content-type": body.contentType || "application/octet-stream", "content-length": body.data.byteLength });
    res.end(body.data);
    return;
  }
  const location = redirectLocation(schema, message, responseBody);
  if (location !== undefined) {
    // A signed, expiring URL made for this caller: no cache may keep or share it.
    res.writeHead(302, { location, "cache-control": "private, no-store", "content-length": 0 });
    res.end();
    return;
  }
  let json = toRestJson(schema, toJson(schema, message as never, { alwaysEmitImplicit: true })) as Record<string, JsonValue>;
  if (responseBody !== "") json = json[schema.fields.find((f) => f.name === responseBody)?.jsonName ?? responseBody] as Record<string, JsonValue>;
  sendJson(res, 200, json);
}

export function sendError(res: NodeRes, err: ConnectError): void {
  sendJson(res, httpStatusOf(err.code), errorBody(err));
}

export function sendJson(res: NodeRes, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

function headerOf(req: NodeReq, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

async function readJson(req: NodeReq, maxBytes: number): Promise<JsonValue | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw new ConnectError(`request body larger than ${maxBytes} bytes`, Code.ResourceExhausted);
    chunks.push(chunk);
  }
  if (size === 0) return undefined;
  const type = headerOf(req, "content-type") ?? "application/json";
  if (!/^application\/json\b/i.test(type)) throw new BadRequestError(`expected a JSON body (content-type application/json), got ${type}`);
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8")) as JsonValue;
  } catch {
    throw new BadRequestError("request body is not valid JSON");
  }
}
