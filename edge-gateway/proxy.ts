import http from "node:http";
import http2 from "node:http2";
import type { NodeReq, NodeRes } from "../platform/host/listener.js";

const HOP_BY_HOP = new Set(["connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "host", "http2-settings"]);

/**
 * Forwards an RPC (Connect, gRPC-web or gRPC) byte for byte to the service that owns it: HTTP/1.1
 * requests over a keep-alive pool, HTTP/2 (gRPC) over one h2c session per upstream, with trailers.
 * The edge never decodes these calls; the service's own interceptors authenticate and validate them.
 *
 * A body longer than `maxBodyBytes` is refused (HTTP 413, or RESOURCE_EXHAUSTED in gRPC and
 * gRPC-web) before it is forwarded when its length is declared, and as soon as it grows past the
 * limit otherwise; the upstream call is cancelled then. Uploads pass `Infinity`: they have their own limit.
 */
export class RpcProxy {
  private readonly agents = new Map<string, http.Agent>();
  private readonly sessions = new Map<string, http2.ClientHttp2Session>();

  forward(req: NodeReq, res: NodeRes, upstream: URL, maxBodyBytes: number): void {
    const declared = Number(req.headers["content-length"] ?? 0);
    if (declared > maxBodyBytes) {
      tooLarge(req, res, maxBodyBytes);
      return;
    }
    if (req.httpVersionMajor === 2) this.forwardH2(req as never, res as never, upstream, maxBodyBytes);
    else this.forwardH1(req as http.IncomingMessage, res as http.ServerResponse, upstream, maxBodyBytes);
  }

  close(): void {
    for (const a of this.agents.values()) a.destroy();
    for (const s of this.sessions.values()) s.close();
  }

  private forwardH1(req: http.IncomingMessage, res: http.ServerResponse, upstream: URL, maxBodyBytes: number): void {
    let agent = this.agents.get(upstream.host);
    if (agent === undefined) {
      agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
      this.agents.set(upstream.host, agent);
    }
    const headers: http.OutgoingHttpHeaders = {};
    for (const [k, v] of Object.entries(req.headers)) if (!HOP_BY_HOP.has(k)) headers[k] = v;
    setClientAddress(headers, req.socket.remoteAddress);
    const out = http.request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers, agent },
      (up) => {
        const h: http.OutgoingHttpHeaders = {};
        for (const [k, v] of Object.entries(up.headers)) if (!HOP_BY_HOP.has(k)) h[k] = v;
        res.writeHead(up.statusCode ?? 502, h);
        up.pipe(res);
      },
    );
    out.on("error", () => {
      if (!refused) unavailable(res);
    });
    req.on("aborted", () => out.destroy());
    let refused = false;
    pipeWithin(req, out, maxBodyBytes, () => {
      refused = true;
      out.destroy();
      tooLarge(req, res, maxBodyBytes);
    });
  }

  private forwardH2(req: http2.Http2ServerRequest, res: http2.Http2ServerResponse, upstream: URL, maxBodyBytes: number): void {
    const session = this.session(upstream);
    const headers: http2.OutgoingHttpHeaders = {};
    for (const [k, v] of Object.entries(req.headers)) if (!k.startsWith(":") && !HOP_BY_HOP.has(k)) headers[k] = v;
    setClientAddress(headers, req.socket.remoteAddress);
    headers[":method"] = req.method;
    headers[":path"] = req.url;
    const out = session.request(headers);
    out.on("response", (h) => {
      const copy: http2.OutgoingHttpHeaders = {};
      for (const [k, v] of Object.entries(h)) if (!k.startsWith(":")) copy[k] = v;
      res.writeHead(Number(h[":status"] ?? 502), copy);
    });
    out.on("trailers", (t) => {
      const copy: Record<string, string> = {};
      for (const [k, v] of Object.entries(t)) if (!k.startsWith(":") && v !== undefined) copy[k] = String(v);
      res.addTrailers(copy);
    });
    out.on("data", (chunk: Buffer) => res.write(chunk));
    out.on("end", () => res.end());
    let refused = false;
    out.on("error", () => {
      if (!refused) unavailable(res);
    });
    req.on("close", () => {
      if (!out.closed) out.close(http2.constants.NGHTTP2_CANCEL);
    });
    pipeWithin(req, out, maxBodyBytes, () => {
      refused = true;
      out.close(http2.constants.NGHTTP2_CANCEL);
      tooLarge(req, res, maxBodyBytes);
    });
  }

  private session(upstream: URL): http2.ClientHttp2Session {
    let s = this.sessions.get(upstream.origin);
    if (s === undefined || s.closed || s.destroyed) {
      const fresh = http2.connect(upstream.origin);
      fresh.on("error", () => undefined);
      fresh.on("close", () => {
        if (this.sessions.get(upstream.origin) === fresh) this.sessions.delete(upstream.origin);
      });
      fresh.unref();
      this.sessions.set(upstream.origin, fresh);
      s = fresh;
    }
    return s;
  }
}

/** The edge is the first hop: the peer address is the client's, whatever the request claims. */
function setClientAddress(headers: http.OutgoingHttpHeaders, peer: string | undefined): void {
  if (peer === undefined) delete headers["x-forwarded-for"];
  else headers["x-forwarded-for"] = peer;
}

/** Copies the request body to the upstream until more than `max` bytes have come; then calls `over` instead. */
function pipeWithin(req: NodeReq, out: NodeJS.WritableStream, max: number, over: () => void): void {
  let received = 0;
  const onData = (chunk: Buffer) => {
    received += chunk.length;
    if (received > max) {
      req.off("data", onData);
      req.off("end", onEnd);
      over();
    } else if (!out.write(chunk)) {
      req.pause();
      out.once("drain", () => req.resume());
    }
  };
  const onEnd = () => out.end();
  req.on("data", onData);
  req.once("end", onEnd);
}

/**
 * Refuses a body over the limit in the caller's protocol: gRPC and gRPC-web read RESOURCE_EXHAUSTED
 * from a headers-only answer, everyone else gets 413 with the Connect/REST error body. The rest of
 * the body is not read: HTTP/1.1 closes the connection, HTTP/2 resets the stream with NO_ERROR.
 */
function tooLarge(req: NodeReq, res: NodeRes, max: number): void {
  if (res.headersSent) {
    res.destroy?.();
    return;
  }
  const message = `request body is larger than the limit of ${max} bytes`;
  const grpc = /^application\/grpc/i.test(req.headers["content-type"] ?? "");
  const headers: http.OutgoingHttpHeaders = grpc
    ? { "content-type": req.headers["content-type"], "grpc-status": "8", "grpc-message": encodeURIComponent(message) }
    : { "content-type": "application/json" };
  if (req.httpVersionMajor !== 2) headers.connection = "close";
  res.writeHead(grpc ? 200 : 413, headers);
  if (grpc) res.end();
  else res.end(JSON.stringify({ code: "resource_exhausted", message, details: [] }));
  if (req.httpVersionMajor === 2) {
    const stream = (req as http2.Http2ServerRequest).stream;
    stream.close(http2.constants.NGHTTP2_NO_ERROR);
  }
}

function unavailable(res: NodeRes): void {
  if (res.headersSent) {
    res.destroy?.();
    return;
  }
  // A gRPC client reads the status from headers-only ("trailers-only") responses; others see 503.
  res.writeHead(503, { "content-type": "application/json", "grpc-status": "14", "grpc-message": "upstream unavailable" });
  res.end(JSON.stringify({ code: "unavailable", message: "upstream unavailable", details: [] }));
}
