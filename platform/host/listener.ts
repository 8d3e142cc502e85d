import http from "node:http";
import http2 from "node:http2";
import net from "node:net";

import type { connectNodeAdapter } from "@connectrpc/connect-node";

/** The request handler shape connect-node produces, shared by HTTP/1.1 and HTTP/2. */
export type NodeHandler = ReturnType<typeof connectNodeAdapter>;
export type NodeReq = Parameters<NodeHandler>[0];
export type NodeRes = Parameters<NodeHandler>[1];

/**
 * How long a connection may sit idle, so that open sockets cannot pile up: one that sends nothing
 * (before its first request, between HTTP/1.1 keep-alive requests, an HTTP/2 session with no open
 * stream) is closed after `idleMs`; a request's headers must arrive within `headersMs`.
 */
export interface ListenerTimeouts {
  idleMs: number;
  headersMs: number;
}

export const DEFAULT_LISTENER_TIMEOUTS: ListenerTimeouts = { idleMs: 65_000, headersMs: 20_000 };

/** Serves an HTTP/2 stream directly, or returns false to leave it to the request handler. */
export type H2StreamHandler = (stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders) => boolean;

/**
 * One plaintext port for every protocol: a connection that opens with the HTTP/2 preface ("PRI ")
 * goes to an h2c server (gRPC, Connect over HTTP/2), anything else to an HTTP/1.1 server (REST,
 * Connect, gRPC-web). Both hand requests to the same handler.
 */
export class DualProtocolListener {
  readonly http1: http.Server;
  readonly http2: http2.Http2Server;
  private readonly tcp: net.Server;
  private readonly sessions = new Set<http2.ServerHttp2Session>();
  private readonly sockets = new Set<net.Socket>();

  /** `h2Streams`, when given, sees each HTTP/2 stream before the handler does (see H2StreamHandler). */
  constructor(handler: NodeHandler, h2Streams?: H2StreamHandler, private readonly timeouts: ListenerTimeouts = DEFAULT_LISTENER_TIMEOUTS) {
    // Node checks the headers deadline every connectionsCheckingInterval; checking at a fraction
    // of it keeps the deadline close to what was configured.
    this.http1 = http.createServer(
      {
        keepAliveTimeout: timeouts.idleMs,
        headersTimeout: timeouts.headersMs,
        connectionsCheckingInterval: Math.max(10, Math.min(30_000, Math.floor(timeouts.headersMs / 4))),
      },
      handler as http.RequestListener,
    );
    // The HTTP/1.1 server never listens itself (sockets are handed to it), but Node starts the
    // connection tracking that enforces the headers timeout on "listening".
    this.http1.emit("listening");
    this.http2 = http2.createServer({ settings: { maxConcurrentStreams: 1000 } }, handler as (req: http2.Http2ServerRequest, res: http2.Http2ServerResponse) => void);
    if (h2Streams !== undefined) this.streamsFirst(h2Streams);
    this.http2.on("session", (s) => {
      this.sessions.add(s);
      s.once("close", () => this.sessions.delete(s));
      closeWhenIdle(s, timeouts.idleMs);
    });
    this.tcp = net.createServer({ noDelay: true }, (socket) => this.route(socket));
  }

  listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.tcp.once("error", reject);
      this.tcp.listen(port, host, () => {
        this.tcp.off("error", reject);
        resolve((this.tcp.address() as net.AddressInfo).port);
      });
    });
  }

  /** Stops accepting connections and asks open ones to finish: GOAWAY on h2, close-when-idle on h1. */
  stopAccepting(): void {
    this.tcp.close();
    for (const s of this.sessions) s.close();
    this.http1.closeIdleConnections();
    // Keep-alive sockets that are busy now close after their response.
    this.http1.on("request", (_req, res) => res.setHeader("connection", "close"));
  }

  /** Ends whatever is still open. */
  destroyAll(): void {
    for (const s of this.sessions) s.destroy();
    for (const s of this.sockets) s.destroy();
    this.http1.closeAllConnections();
    // Stops the headers-timeout checks started in the constructor.
    this.http1.close();
  }

  get openConnections(): number {
    return this.sockets.size;
  }

  /**
   * Node's compatibility layer turns every stream into a request/response pair for the handler, in
   * the one "stream" listener it installs along with the handler. A stream served directly needs
   * neither object, so that listener runs only for the streams `first` declines.
   */
  private streamsFirst(first: H2StreamHandler): void {
    const [compat, ...others] = this.http2.listeners("stream") as Array<(...args: unknown[]) => void>;
    if (compat === undefined || others.length > 0) throw new Error("expected exactly the compatibility layer's stream listener");
    this.http2.off("stream", compat);
    this.http2.on("stream", (stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders, flags: number, rawHeaders: string[]) => {
      // A client that resets its stream with an error code makes the stream emit "error"; with no
      // listener that would end the process. Its call is cancelled through "close" instead.
      stream.on("error", ignoreStreamError);
      if (!first(stream, headers)) compat.call(this.http2, stream, headers, flags, rawHeaders);
    });
  }

  private route(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.once("close", () => this.sockets.delete(socket));
    socket.once("error", () => socket.destroy());
    // A socket that never says which protocol it speaks is nobody's to time out yet.
    const silent = setTimeout(() => socket.destroy(), this.timeouts.idleMs);
    socket.once("close", () => clearTimeout(silent));
    socket.once("data", (chunk: Buffer) => {
      clearTimeout(silent);
      socket.pause();
      socket.unshift(chunk);
      if (chunk.subarray(0, 4).toString("latin1") === "PRI ") {
        // The h2 session reads the unshifted preface from the socket's buffer itself.
        this.http2.emit("connection", socket);
      } else {
        this.http1.emit("connection", socket);
        socket.resume();
      }
    });
  }
}

function ignoreStreamError(): void {}

/**
 * Closes an HTTP/2 session once it has had no open stream for `idleMs`. Node's session timeout
 * counts any silence, which would also cut a quiet server stream (job progress, notifications);
 * the streams' own lifetime is capped elsewhere (the stream limits interceptor).
 */
function closeWhenIdle(session: http2.ServerHttp2Session, idleMs: number): void {
  let open = 0;
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    timer = setTimeout(() => session.close(), idleMs);
    timer.unref();
  };
  session.on("stream", (stream: http2.ServerHttp2Stream) => {
    open++;
    clearTimeout(timer);
    stream.once("close", () => {
      if (--open === 0 && !session.closed) arm();
    });
  });
  session.once("close", () => clearTimeout(timer));
  arm();
}
