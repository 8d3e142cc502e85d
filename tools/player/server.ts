import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

// tools/player from the sources, dist/tools/player once compiled: web/ is not compiled, find it.
const here = path.dirname(fileURLToPath(import.meta.url));
const PAGE_DIR = [path.resolve(here, "../../web/player"), path.resolve(here, "../../../web/player")].find((d) => existsSync(path.join(d, "index.html"))) ?? "web/player";
const FILES: Record<string, { file: string; type: string }> = {
  "/": { file: path.join(PAGE_DIR, "index.html"), type: "text/html; charset=utf-8" },
  "/player.js": { file: path.join(PAGE_DIR, "player.js"), type: "text/javascript; charset=utf-8" },
  "/hls.min.js": { file: createRequire(import.meta.url).resolve("hls.js/dist/hls.min.js"), type: "text/javascript; charset=utf-8" },
};

/**
 * Serves the web player (web/player) and hls.js on a port of its own: a site on another origin
 * than the edge, as a real player page is. Open `http://127.0.0.1:<port>/?api=…&token=…&profile=…&video=…`.
 */
export async function startPlayerServer(port = 0, host = "127.0.0.1"): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const entry = FILES[new URL(req.url ?? "/", "http://player").pathname];
    if (entry === undefined || (req.method !== "GET" && req.method !== "HEAD")) {
      res.writeHead(404).end();
      return;
    }
    readFile(entry.file).then(
      (body) => res.writeHead(200, { "content-type": entry.type, "cache-control": "no-cache" }).end(body),
      () => res.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const address = server.address();
  const actual = typeof address === "object" && address !== null ? address.port : port;
  return { url: `http://${host}:${actual}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
