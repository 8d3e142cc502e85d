import { cors as connectCors } from "@connectrpc/connect";
import type { NodeReq, NodeRes } from "../host/listener.js";

// tus (resumable uploads) speaks in headers a browser must be allowed to send and read.
const TUS_HEADERS = ["tus-resumable", "upload-length", "upload-offset", "upload-metadata", "upload-defer-length", "upload-concat"];
const ALLOW_HEADERS = [...connectCors.allowedHeaders, "authorization", "profile-id", "x-request-id", ...TUS_HEADERS, "x-http-method-override"].join(", ");
const EXPOSE_HEADERS = [...connectCors.exposedHeaders, "x-request-id", ...TUS_HEADERS, "location", "tus-version", "tus-max-size", "tus-extension", "retry-after"].join(", ");
const ALLOW_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"].join(", ");

/**
 * CORS for every HTTP surface of the mesh (REST, Connect, gRPC-web, tus): adds the headers for an
 * allowed origin and answers preflights. `allowedOrigins` empty allows any origin (development).
 * Returns true when the request is done (a preflight was answered).
 */
export function applyCors(req: NodeReq, res: NodeRes, allowedOrigins: readonly string[]): boolean {
  const origin = req.headers.origin;
  if (origin === undefined || (allowedOrigins.length > 0 && !allowedOrigins.includes(origin))) return false;
  res.setHeader("access-control-allow-origin", origin);
  res.setHeader("vary", "origin");
  res.setHeader("access-control-expose-headers", EXPOSE_HEADERS);
  if (req.method !== "OPTIONS") return false;
  res.writeHead(204, { "access-control-allow-methods": ALLOW_METHODS, "access-control-allow-headers": ALLOW_HEADERS, "access-control-max-age": "7200" });
  res.end();
  return true;
}
