import http from "node:http";
import http2 from "node:http2";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DualProtocolListener } from "./listener.js";

/** Open sockets cannot pile up: each kind of idle connection is closed after the configured timeout. */
describe("listener idle timeouts", () => {
  let listener: DualProtocolListener;
  let port: number;

  beforeAll(async () => {
    listener = new DualProtocolListener(
      (_req, res) => {
        res.writeHead(200);
        res.end("ok");
      },
      undefined,
      { idleMs: 150, headersMs: 150 },
    );
    port = await listener.listen(0, "127.0.0.1");
  });
  afterAll(() => listener?.destroyAll());

  /** Resolves when the server has closed the socket (reading on, so that its end is seen). */
  const closed = (socket: net.Socket) =>
    new Promise<void>((resolve) => {
      socket.once("close", () => resolve());
      socket.resume();
    });

  it("closes a socket that never sends a byte", async () => {
    const socket = net.connect(port, "127.0.0.1");
    socket.on("error", () => undefined);
    await closed(socket);
  });

  it("closes a socket that starts a request and never finishes its headers", async () => {
    const socket = net.connect(port, "127.0.0.1", () => socket.write("GET / HTTP/1.1\r\nHost: x\r\n"));
    socket.on("error", () => undefined);
    await closed(socket);
  });

  it("closes an HTTP/1.1 keep-alive connection idle after its response", async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const socket = await new Promise<net.Socket>((resolve, reject) => {
      const req = http.get({ host: "127.0.0.1", port, agent }, (res) => {
        res.resume();
        res.on("end", () => resolve(req.socket as net.Socket));
      });
      req.on("error", reject);
    });
    await closed(socket);
    agent.destroy();
  });

  it("closes an HTTP/2 session with no open stream", async () => {
    const session = http2.connect(`http://127.0.0.1:${port}`);
    session.on("error", () => undefined);
    await new Promise<void>((resolve, reject) => {
      const req = session.request({ ":path": "/" });
      req.on("error", reject);
      req.resume();
      req.on("end", () => resolve());
    });
    await new Promise<void>((resolve) => session.once("close", () => resolve()));
  });
});
