import { execFile, spawn, type ChildProcess } from "node:child_process";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as grpc from "@grpc/grpc-js";
import { SERVICE_NAMES, SERVICE_PORTS } from "../services.js";

const run = promisify(execFile);

/**
 * `npm start` as a user runs it: the compiled launcher brings up the embedded Postgres, the 11
 * services and the edge as separate processes. Ports are moved off the defaults so a mesh a
 * developer is running does not collide with the test.
 */
describe("the launcher (npm start)", () => {
  const portOffset = 10_000;
  const edgePort = 18_080;
  const env: NodeJS.ProcessEnv = { ...process.env, EDGE_PORT: String(edgePort), EMBEDDED_POSTGRES_PORT: "54339", LOG_LEVEL: "info" };
  for (const name of SERVICE_NAMES) env[`${name.toUpperCase()}_PORT`] = String(SERVICE_PORTS[name] + portOffset);
  let launcher: ChildProcess;
  let output = "";
  let dataDir: string;

  beforeAll(async () => {
    await run("npm", ["run", "build", "--silent"]);
    dataDir = await mkdtemp(path.join(os.tmpdir(), "cinemesh-launcher-"));
    // mkdtemp makes a private folder; as root, Postgres runs as the postgres user and must get in.
    await chmod(dataDir, 0o755);
    launcher = spawn(process.execPath, ["dist/platform/launcher/main.js"], { env: { ...env, CINEMESH_DATA_DIR: dataDir }, stdio: ["ignore", "pipe", "pipe"] });
    launcher.stdout?.on("data", (d: Buffer) => (output += d.toString()));
    launcher.stderr?.on("data", (d: Buffer) => (output += d.toString()));
    await new Promise<void>((resolve, reject) => {
      launcher.stdout?.on("data", () => output.includes("Ctrl-C stops everything") && resolve());
      launcher.once("exit", (code) => reject(new Error(`launcher exited with ${code}:\n${output}`)));
    });
  });
  afterAll(async () => {
    if (launcher.exitCode === null) launcher.kill("SIGKILL");
    await rm(dataDir, { recursive: true, force: true });
  });

  it("prints where each of the 12 processes listens", () => {
    for (const name of SERVICE_NAMES) expect(output).toContain(`http://127.0.0.1:${SERVICE_PORTS[name] + portOffset}`);
    expect(output).toContain(`http://127.0.0.1:${edgePort}`);
  });

  it("serves every service's reflection on its own port and the whole mesh's on the edge", async () => {
    const list = async (port: number) =>
      (await run("node_modules/.bin/buf", ["curl", "--protocol", "grpc", "--http2-prior-knowledge", "--list-services", `http://127.0.0.1:${port}`])).stdout;
    const atEdge = await list(edgePort);
    for (const name of SERVICE_NAMES) {
      const typeName = `cinemesh.${name}.v1.${name[0].toUpperCase()}${name.slice(1)}Service`;
      expect(await list(SERVICE_PORTS[name] + portOffset)).toContain(typeName);
      expect(atEdge).toContain(typeName);
    }
  });

  it("reports every process SERVING through grpc.health.v1 to a @grpc/grpc-js client", async () => {
    for (const port of [...SERVICE_NAMES.map((n) => SERVICE_PORTS[n] + portOffset), edgePort]) {
      const client = new grpc.Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
      const reply = await new Promise<Buffer>((resolve, reject) =>
        client.makeUnaryRequest("/grpc.health.v1.Health/Check", (b: Buffer) => b, (b: Buffer) => b, Buffer.alloc(0), (err, v) => (err ? reject(err) : resolve(v as Buffer))),
      );
      client.close();
      expect([...reply], `port ${port}`).toEqual([0x08, 0x01]); // status: SERVING
    }
  });

  it("answers an unimplemented REST route with JSON and HTTP 501, and a bad request with 400 naming the field", async () => {
    const unimplemented = await fetch(`http://127.0.0.1:${edgePort}/api/v1/genres`);
    expect(unimplemented.status).toBe(501);
    expect(await unimplemented.json()).toMatchObject({ code: "unimplemented" });
    const bad = await fetch(`http://127.0.0.1:${edgePort}/api/v1/auth/signup`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "not-an-email", password: "long enough 123", country: "US" }),
    });
    expect(bad.status).toBe(400);
    expect((await bad.json()).message).toMatch(/^email: /);
  });

  it("speaks Connect JSON over HTTP/1.1 on a service's own port", async () => {
    const res = await fetch(`http://127.0.0.1:${SERVICE_PORTS.catalog + portOffset}/cinemesh.catalog.v1.CatalogService/ListGenres`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(res.status).toBe(501);
    expect(await res.json()).toMatchObject({ code: "unimplemented" });
  });

  it("stops everything on SIGTERM, every process exiting 0", async () => {
    const exited = new Promise<number | null>((resolve) => launcher.once("exit", resolve));
    launcher.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(output).toContain("stopped.");
    expect(output).not.toMatch(/exited with/);
  });
});
