import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

export interface Nginx {
  url: string;
  port: number;
  stop(): Promise<void>;
}

const NGINX = process.env.NGINX_PATH ?? "/usr/sbin/nginx";

/**
 * Debian's nginx serving `root` as static files on a free loopback port, from a temporary prefix
 * of its own (config, pid, logs, temp folders), as a foreground child; `stop` ends it and removes
 * the prefix. One worker process, like the edge's one Node process, with sendfile and long
 * keep-alive: the way nginx is set up to serve HLS segments.
 */
export async function startNginx(root: string): Promise<Nginx> {
  const prefix = await mkdtemp(path.join(tmpdir(), "bench-nginx-"));
  const port = await freePort();
  const temp = ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"].map((t) => `  ${t}_temp_path ${path.join(prefix, t)};`).join("\n");
  await writeFile(
    path.join(prefix, "nginx.conf"),
    `worker_processes 1;
daemon off;
pid ${path.join(prefix, "nginx.pid")};
error_log ${path.join(prefix, "error.log")} warn;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_timeout 75s;
  keepalive_requests 1000000;
${temp}
  types { application/vnd.apple.mpegurl m3u8; video/iso.segment m4s; video/mp4 mp4; application/dash+xml mpd; }
  default_type application/octet-stream;
  server {
    listen 127.0.0.1:${port};
    root ${root};
    add_header access-control-allow-origin * always;
  }
}
`,
  );
  const child = spawn(NGINX, ["-p", prefix, "-c", path.join(prefix, "nginx.conf"), "-e", path.join(prefix, "error.log")], { stdio: ["ignore", "inherit", "inherit"] });
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  const url = `http://127.0.0.1:${port}/`;
  const stop = async () => {
    if (child.exitCode === null) child.kill("SIGTERM");
    await exited;
    await rm(prefix, { recursive: true, force: true });
  };
  try {
    await Promise.race([waitListening(port), exited.then((code) => Promise.reject(new Error(`nginx exited with ${code}`)))]);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, port, stop };
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitListening(port: number): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, "127.0.0.1", () => (socket.end(), resolve(true)));
      socket.on("error", () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nothing listens on ${port} after 5 s`);
}
