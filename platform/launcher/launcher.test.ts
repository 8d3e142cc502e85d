import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as grpc from "@grpc/grpc-js";
import { SERVICE_NAMES } from "../services.js";
import { startMeshProcess, type MeshProcess } from "./mesh-process.js";

const run = promisify(execFile);

/** `npm start` as a user runs it: the compiled launcher, 12 processes, an embedded Postgres. */
describe("the launcher (npm start)", () => {
  let mesh: MeshProcess;
  const portOf = (url: string) => Number(new URL(url).port);

  beforeAll(async () => {
    mesh = await startMeshProcess({ portOffset: 11_000 });
  });
  afterAll(async () => {
    await mesh?.stop();
  });

  it("prints where each of the 12 processes listens", () => {
    for (const name of SERVICE_NAMES) expect(mesh.output()).toContain(mesh.serviceUrl(name));
    expect(mesh.output()).toContain(mesh.edgeUrl);
  });

  it("serves every service's reflection on its own port and the whole mesh's on the edge's operator port", async () => {
    const list = async (url: string) => (await run("node_modules/.bin/buf", ["curl", "--protocol", "grpc", "--http2-prior-knowledge", "--list-services", url])).stdout;
    const atEdge = await list(mesh.edgeOperatorUrl);
    for (const name of SERVICE_NAMES) {
      const typeName = `cinemesh.${name}.v1.${name[0].toUpperCase()}${name.slice(1)}Service`;
      expect(await list(mesh.serviceUrl(name))).toContain(typeName);
      expect(atEdge).toContain(typeName);
    }
  });

  it("reports every process SERVING through grpc.health.v1 to a @grpc/grpc-js client", async () => {
    for (const url of [...SERVICE_NAMES.map((n) => mesh.serviceUrl(n)), mesh.edgeUrl]) {
      const client = new grpc.Client(`127.0.0.1:${portOf(url)}`, grpc.credentials.createInsecure());
      const reply = await new Promise<Buffer>((resolve, reject) =>
        client.makeUnaryRequest("/grpc.health.v1.Health/Check", (b: Buffer) => b, (b: Buffer) => b, Buffer.alloc(0), (err, v) => (err ? reject(err) : resolve(v as Buffer))),
      );
      client.close();
      expect([...reply], url).toEqual([0x08, 0x01]); // status: SERVING
    }
  });

  it("answers a REST route that needs sign-in with JSON and HTTP 401, and a bad request with 400 naming the field", async () => {
    const anonymous = await fetch(`${mesh.edgeUrl}/api/v1/content/home`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ code: "unauthenticated" });
    const bad = await fetch(`${mesh.edgeUrl}/api/v1/auth/signup`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "not-an-email", password: "long enough 123", country: "US" }),
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toMatch(/^email: /);
  });

  it("speaks Connect JSON over HTTP/1.1 on a service's own port", async () => {
    const res = await fetch(`${mesh.serviceUrl("catalog")}/grpc.health.v1.Health/Check`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "SERVING" });
  });

  it("stops everything on SIGTERM, every process exiting 0", async () => {
    expect(await mesh.stop()).toBe(0);
    expectStoppedCleanly(mesh.output());
    expect(await mesh.processes()).toEqual([]);
  });
});

/** "stopping…", then "stopped." last, and no process reported as ending badly (or as "null"). */
function expectStoppedCleanly(output: string): void {
  const tail = output.slice(output.indexOf("Ctrl-C stops everything."));
  expect(tail.trim().split("\n").filter((l) => l.trim() !== "")).toEqual(["Ctrl-C stops everything.", "stopping…", "stopped."]);
}

/**
 * A terminal's Ctrl-C signals the launcher's whole process group; `kill` signals the launcher or
 * the group. Each way, the launcher stops every process in order, says so, and exits 0.
 */
describe("the launcher stopping", () => {
  for (const [signal, to] of [["SIGINT", "group"], ["SIGINT", "launcher"], ["SIGTERM", "group"]] as const) {
    it(`on ${signal} to the ${to === "group" ? "process group" : "launcher alone"}${signal === "SIGINT" && to === "group" ? " (Ctrl-C in a terminal)" : ""}: every process stopped, "stopped.", exit 0`, async () => {
      const mesh = await startMeshProcess({ portOffset: 11_000 });
      expect((await mesh.processes()).length).toBeGreaterThan(SERVICE_NAMES.length);
      const code = await mesh.signal(signal, to);
      expectStoppedCleanly(mesh.output());
      expect(code).toBe(0);
      // The kernel may take a moment to reap the database server the launcher has seen exit.
      await vi.waitFor(async () => expect(await mesh.processes()).toEqual([]), { timeout: 5_000, interval: 100 });
    }, 180_000);
  }
});
