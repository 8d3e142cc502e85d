import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as grpc from "@grpc/grpc-js";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import { createLogger } from "../logger.js";
import { createTokenVerifier, generateAuthKeyPair } from "../auth/tokens.js";
import { Health, HealthCheckResponse_ServingStatus } from "../../gen/grpc/health/v1/health_pb.js";
import { startServiceHost, type ServiceHost } from "./service-host.js";

const run = promisify(execFile);

describe("service host", () => {
  let host: ServiceHost;

  beforeAll(async () => {
    const keys = await generateAuthKeyPair();
    host = await startServiceHost({
      name: "test",
      port: 0,
      host: "127.0.0.1",
      logger: createLogger("test", "silent"),
      verifier: await createTokenVerifier(keys.publicKeyPem),
      services: [Health],
      routes: () => {},
      maxTimeoutMs: 10_000,
      shutdownGraceMs: 1_000,
    });
  });
  afterAll(() => host.close());

  it("answers gRPC over h2c and gRPC-web over HTTP/1.1 on the same port", async () => {
    const grpcClient = createClient(Health, createGrpcTransport({ baseUrl: host.url }));
    expect((await grpcClient.check({ service: "" })).status).toBe(HealthCheckResponse_ServingStatus.SERVING);
    const webClient = createClient(Health, createGrpcWebTransport({ baseUrl: host.url, httpVersion: "1.1" }));
    expect((await webClient.check({ service: "grpc.health.v1.Health" })).status).toBe(HealthCheckResponse_ServingStatus.SERVING);
  });

  it("speaks the Connect protocol as JSON over HTTP/1.1", async () => {
    const res = await fetch(`${host.url}/grpc.health.v1.Health/Check`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "SERVING" });
  });

  it("is reachable from a @grpc/grpc-js client", async () => {
    const client = new grpc.Client(`127.0.0.1:${host.port}`, grpc.credentials.createInsecure());
    const reply = await new Promise<Buffer>((resolve, reject) =>
      client.makeUnaryRequest(
        "/grpc.health.v1.Health/Check",
        (b: Buffer) => b,
        (b: Buffer) => b,
        Buffer.alloc(0),
        (err, value) => (err ? reject(err) : resolve(value as Buffer)),
      ),
    );
    client.close();
    // HealthCheckResponse{status: SERVING(1)} is field 1, varint 1.
    expect([...reply]).toEqual([0x08, 0x01]);
  });

  it("lists its services through server reflection, for buf curl without a schema", async () => {
    const { stdout } = await run("node_modules/.bin/buf", ["curl", "--protocol", "grpc", "--http2-prior-knowledge", "--list-services", host.url]);
    expect(stdout.split("\n").filter(Boolean).sort()).toEqual(["grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection"]);
    const check = await run("node_modules/.bin/buf", ["curl", "--protocol", "grpc", "--http2-prior-knowledge", "-d", "{}", `${host.url}/grpc.health.v1.Health/Check`]);
    expect(JSON.parse(check.stdout)).toEqual({ status: "SERVING" });
  });

  it("serves Prometheus metrics counting the calls it handled on its operator port, not on the service port", async () => {
    const text = await (await fetch(`${host.operatorUrl}/metrics`)).text();
    expect(text).toMatch(/grpc_server_handled_total\{grpc_service="grpc.health.v1.Health",grpc_method="Check",grpc_code="OK",service="test"\} [1-9]/);
    expect((await fetch(`${host.url}/metrics`)).status).toBe(404);
  });

  it("answers liveness, readiness and health probes on both ports, and reflection on the operator port", async () => {
    for (const base of [host.url, host.operatorUrl]) {
      for (const path of ["/livez", "/readyz", "/healthz"]) expect((await fetch(`${base}${path}`)).status, `${base}${path}`).toBe(200);
    }
    const { stdout } = await run("node_modules/.bin/buf", ["curl", "--protocol", "grpc", "--http2-prior-knowledge", "--list-services", host.operatorUrl]);
    expect(stdout.split("\n").filter(Boolean).sort()).toEqual(["grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection"]);
  });
});
