import http from "node:http";

/** The reference for the hop benchmark: a bare node:http server answering the same JSON. */
const body = process.env.HOP_BODY ?? "{}";
const port = Number(process.env.PORT ?? 0);
const server = http.createServer((_req, res) => {
  res.writeHead(200, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(body) });
  res.end(body);
});
server.keepAliveTimeout = 65_000;
server.listen(port, "127.0.0.1", () => process.send?.({ port: (server.address() as { port: number }).port }));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
