import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import { CatalogService } from "../gen/cinemesh/catalog/v1/catalog_pb.js";
import { VideoStatus } from "../gen/cinemesh/catalog/v1/catalog_types_pb.js";
import { ContentType, MaturityRating } from "../gen/cinemesh/common/v1/enums_pb.js";
import { SearchService } from "../gen/cinemesh/search/v1/search_pb.js";
import { createTokenSigner, createTokenVerifier, generateAuthKeyPair, type TokenSigner } from "../platform/auth/tokens.js";
import { createLogger } from "../platform/logger.js";
import { kClaims } from "../platform/rpc/context.js";
import { MESH_SERVICES } from "./contracts.js";
import { startEdgeGateway, type EdgeGateway } from "./gateway.js";
import { isPublicRpc } from "./public-rpcs.js";
import { testEdgeOptions } from "./testing/test-edge.js";
import { startStandIn } from "../platform/testing/stand-in.js";

const run = promisify(execFile);
type ErrorBody = { code: string; message: string };
const CONTENT_ID = "7d1c0b8e-2f4a-4c55-9a0e-3b6f1a2d9c10";

/**
 * The edge in front of two real service hosts whose handlers stand in for business logic the edge
 * does not care about: the edge is what is under test (routing, transcoding, forwarding, errors).
 */
describe("edge gateway", () => {
  let edge: EdgeGateway;
  let signer: TokenSigner;
  /** How many internal calls reached the catalog stand-in. */
  let internalCalls = 0;
  /** What the edge logged, one JSON object a line. */
  const logged: Array<Record<string, unknown>> = [];
  const captured = () => pino({ level: "info" }, { write: (line: string) => void logged.push(JSON.parse(line) as Record<string, unknown>) });
  const stops: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    const keys = await generateAuthKeyPair();
    signer = await createTokenSigner(keys.privateKeyPem);
    const env = { AUTH_PUBLIC_KEY: keys.publicKeyPem, LOG_LEVEL: "silent", CATALOG_PORT: "0", SEARCH_PORT: "0", IDENTITY_PORT: "0" };
    const catalog = await startStandIn("catalog", CatalogService, env, {
      listGenres: () => ({ genres: [{ name: "Action", slug: "action", contentCount: 2 }] }),
      setVideoEncodingStatus: () => {
        internalCalls++;
        return {};
      },
      getContent: (req) => {
        if (req.contentId !== CONTENT_ID) throw new ConnectError(`content ${req.contentId} not found`, Code.NotFound);
        return { content: { contentId: req.contentId, title: "Heat <b>'; DROP TABLE--", type: ContentType.MOVIE, rating: MaturityRating.R, genres: ["Crime"] } };
      },
    });
    const search = await startStandIn("search", SearchService, env, {
      // Echoes what reached the service, so the tests see the transcoding.
      searchContent: (req, ctx) => ({
        results: [{ title: `${req.query}|${req.page}|${req.limit}|${req.genres.join(",")}`, contentId: ctx.values.get(kClaims)?.userId ?? "", thumbnailUrl: ctx.requestHeader.get("profile-id") ?? "" }],
        totalCount: req.limit,
      }),
    });
    stops.push(catalog.stop, search.stop);
    edge = await startEdgeGateway(
      await testEdgeOptions({
        logger: captured(),
        env: { CATALOG_ADDR: catalog.host.url, SEARCH_ADDR: search.host.url, IDENTITY_ADDR: "http://127.0.0.1:1" },
        verifier: await createTokenVerifier(keys.publicKeyPem),
      }),
    );
  });
  afterAll(async () => {
    await edge?.close();
    for (const stop of stops) await stop();
  });

  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${edge.url}${path}`, { headers });

  it("routes every REST binding of seeds/000 §4 from the annotations", () => {
    const bound = new Set(edge.routes.all.map((r) => `${r.httpMethod} ${r.template}`));
    for (const route of [
      "POST /api/v1/auth/signup", "POST /api/v1/auth/login", "POST /api/v1/profiles", "GET /api/v1/profiles",
      "GET /api/v1/content/home", "GET /api/v1/content/search", "GET /api/v1/content/{content_id}",
      "GET /api/v1/content/category/{category}", "GET /api/v1/video/{video_id}/play", "POST /api/v1/video/{video_id}/progress",
      "GET /api/v1/video/{video_id}/manifest.m3u8", "GET /api/v1/profile/{profile_id}/watch-history",
      "POST /api/v1/profile/{profile_id}/my-list", "DELETE /api/v1/profile/{profile_id}/my-list/{content_id}",
      "GET /api/v1/profile/{profile_id}/my-list", "POST /api/v1/content/{content_id}/rating", "GET /api/v1/content/{content_id}/rating",
      "GET /api/v1/profile/{profile_id}/recommendations", "POST /api/v1/admin/content", "POST /api/v1/admin/content/{content_id}/video",
      "GET /api/v1/admin/encoding/{job_id}/status",
    ]) expect(bound, route).toContain(route);
  });

  it("answers a REST GET with the RPC's response as JSON", async () => {
    const res = await get("/api/v1/genres");
    expect(res.status).toBe(200);
    expect(res.headers.get("x-request-id")).toMatch(/[0-9a-f-]{36}/);
    expect(await res.json()).toEqual({ genres: [{ name: "Action", slug: "action", contentCount: 2 }] });
  });

  it("binds path variables, prefers literal segments, and sends response_body flat", async () => {
    const res = await get(`/api/v1/content/${CONTENT_ID}`);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ contentId: CONTENT_ID, title: "Heat <b>'; DROP TABLE--", type: "MOVIE", rating: "R", genres: ["Crime"] });
    // /content/search is its own route, not /content/{content_id} with id "search".
    expect((await get("/api/v1/content/search?query=x")).status).toBe(200);
  });

  it("binds query parameters with their types, repeated ones included", async () => {
    const res = await get("/api/v1/content/search?query=heat%20wave&page=2&limit=5&genres=Crime&genres=Drama");
    expect(await res.json()).toMatchObject({ results: [{ title: "heat wave|2|5|Crime,Drama" }], totalCount: 5 });
  });

  it("forwards the bearer token (verified by the service) and the Profile-Id header", async () => {
    const { token } = await signer.sign({ userId: "user-1", role: "member", sessionId: "s1" }, 60);
    const res = await get("/api/v1/content/search?query=a", { authorization: `Bearer ${token}`, "profile-id": "p-9" });
    expect(await res.json()).toMatchObject({ results: [{ contentId: "user-1", thumbnailUrl: "p-9" }] });
    const tampered = await get("/api/v1/content/search?query=a", { authorization: `Bearer ${token.slice(0, -4)}AAAA` });
    expect(tampered.status).toBe(401);
    expect(await tampered.json()).toMatchObject({ code: "unauthenticated" });
  });

  it("turns a rule violation into 400 naming the field, with BadRequest details", async () => {
    const res = await get("/api/v1/content/search?query=a&limit=500");
    expect(res.status).toBe(400);
    const body = (await res.json()) as { code: string; message: string; details: unknown[] };
    expect(body.code).toBe("invalid_argument");
    expect(body.message).toContain("limit");
    expect(body.details).toEqual([
      { "@type": "type.googleapis.com/google.rpc.BadRequest", fieldViolations: [{ field: "limit", description: expect.stringContaining("100") }] },
    ]);
  });

  it("turns a wrong field type, an unknown query parameter and bad JSON into 400", async () => {
    const wrongType = await get("/api/v1/content/search?limit=many");
    expect(wrongType.status).toBe(400);
    expect(((await wrongType.json()) as ErrorBody).message).toContain("limit");
    const unknown = await get("/api/v1/content/search?colour=red");
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as ErrorBody).message).toContain("colour");
    const badJson = await fetch(`${edge.url}/api/v1/admin/content`, { method: "POST", headers: { "content-type": "application/json" }, body: "{title" });
    expect(badJson.status).toBe(400);
  });

  it("maps RPC errors to HTTP statuses with a JSON body", async () => {
    const notFound = await get("/api/v1/content/00000000-0000-4000-8000-000000000000");
    expect(notFound.status).toBe(404);
    expect(await notFound.json()).toEqual({ code: "not_found", message: "content 00000000-0000-4000-8000-000000000000 not found", details: [] });
    const notImplemented = await get("/api/v1/admin/content");
    expect(notImplemented.status).toBe(501);
    expect(await notImplemented.json()).toMatchObject({ code: "unimplemented" });
  });

  it("answers 404 for unknown paths and 405 with Allow for a wrong verb", async () => {
    const missing = await get("/api/v1/nothing-here");
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ code: "not_found" });
    const wrongVerb = await fetch(`${edge.url}/api/v1/genres`, { method: "DELETE" });
    expect(wrongVerb.status).toBe(405);
    expect(wrongVerb.headers.get("allow")).toBe("GET");
  });

  it("forwards Connect, gRPC-web and gRPC calls to the owning service", async () => {
    for (const transport of [
      createConnectTransport({ baseUrl: edge.url, httpVersion: "1.1" }),
      createGrpcWebTransport({ baseUrl: edge.url, httpVersion: "1.1" }),
      createGrpcTransport({ baseUrl: edge.url }),
    ]) {
      const catalog = createClient(CatalogService, transport);
      expect((await catalog.listGenres({})).genres.map((g) => g.name)).toEqual(["Action"]);
      await expect(catalog.getContent({ contentId: "not-a-uuid" })).rejects.toMatchObject({ code: Code.InvalidArgument });
    }
  });

  it("refuses internal RPCs with NOT_FOUND over plain HTTP/JSON, Connect, gRPC-web and gRPC; they never reach the service", async () => {
    const internal = { videoId: CONTENT_ID, encodingJobId: CONTENT_ID, status: VideoStatus.PROCESSING };
    const plain = await fetch(`${edge.url}/cinemesh.catalog.v1.CatalogService/SetVideoEncodingStatus`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ videoId: CONTENT_ID, encodingJobId: CONTENT_ID, status: "VIDEO_STATUS_PROCESSING" }),
    });
    expect(plain.status).toBe(404);
    expect(await plain.json()).toMatchObject({ code: "not_found" });
    for (const transport of [
      createConnectTransport({ baseUrl: edge.url, httpVersion: "1.1" }),
      createGrpcWebTransport({ baseUrl: edge.url, httpVersion: "1.1" }),
      createGrpcTransport({ baseUrl: edge.url }),
    ]) {
      const catalog = createClient(CatalogService, transport);
      await expect(catalog.setVideoEncodingStatus(internal)).rejects.toMatchObject({ code: Code.NotFound });
    }
    expect(internalCalls).toBe(0);
    // No REST route leads to an internal RPC either: every route is a public one.
    for (const route of edge.routes.all) expect(isPublicRpc(route.method), route.template).toBe(true);
  });

  it("answers UNAVAILABLE when the owning service is down", async () => {
    const res = await fetch(`${edge.url}/api/v1/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: "a@b.co", password: "longenough" }) });
    expect(res.status).toBe(503);
    const requestId = res.headers.get("x-request-id");
    // The client learns which service is down, not where it lives: the transport's text goes to the log.
    expect(await res.json()).toEqual({ code: "unavailable", message: "the identity service is unavailable", details: [] });
    const entry = logged.find((l) => l.requestId === requestId);
    expect(entry).toMatchObject({ level: 40, service: "identity", rpc: "cinemesh.identity.v1.IdentityService/Login" });
    expect(String(entry?.err)).toContain("ECONNREFUSED 127.0.0.1:1");
  });

  it("warns at start-up that CORS allows every origin when no origins are configured, and only then", async () => {
    expect(logged.some((l) => l.level === 40 && String(l.msg).includes("EDGE_CORS_ORIGINS"))).toBe(true);
    logged.length = 0;
    const strict = await startEdgeGateway(await testEdgeOptions({ logger: captured(), services: [CatalogService], corsOrigins: ["https://app.example"] }));
    await strict.close();
    expect(logged.some((l) => String(l.msg).includes("edge listening"))).toBe(true);
    expect(logged.some((l) => String(l.msg).includes("EDGE_CORS_ORIGINS"))).toBe(false);
  });

  it("lets browsers on other origins call it (CORS preflight)", async () => {
    const res = await fetch(`${edge.url}/cinemesh.catalog.v1.CatalogService/ListGenres`, {
      method: "OPTIONS",
      headers: { origin: "http://tv.example", "access-control-request-method": "POST", "access-control-request-headers": "content-type,x-grpc-web" },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe("http://tv.example");
    expect(res.headers.get("access-control-allow-headers")?.toLowerCase()).toContain("x-grpc-web");
  });

  it("lists every service of the mesh through reflection on its operator port, not on the public one", async () => {
    const buf = (...args: string[]) => run("node_modules/.bin/buf", ["curl", "--protocol", "grpc", "--http2-prior-knowledge", ...args]);
    const listed = (await buf("--list-services", edge.operatorUrl)).stdout.split("\n").filter(Boolean);
    for (const s of MESH_SERVICES) expect(listed).toContain(s.typeName);
    await expect(buf("--list-services", edge.url)).rejects.toThrow();
    // Against the public edge, buf curl reads the schema from the contracts instead.
    const call = await buf("--schema", ".", "-d", "{}", `${edge.url}/cinemesh.catalog.v1.CatalogService/ListGenres`);
    expect(JSON.parse(call.stdout)).toEqual({ genres: [{ name: "Action", slug: "action", contentCount: 2 }] });
  });

  it("serves /metrics on its operator port only", async () => {
    expect((await get("/metrics")).status).toBe(404);
    const text = await (await fetch(`${edge.operatorUrl}/metrics`)).text();
    expect(text).toMatch(/http_server_requests_total\{route="rest",status="200",service="edge"\} [1-9]/);
  });
});
