import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMeshProcess, type MeshProcess } from "../../platform/launcher/mesh-process.js";
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from "../../platform/telemetry/testing/otlp-receiver.js";
import { edgeApi, ok, type EdgeApi } from "./support/edge-api.js";

const SERVER = 2;
const CONSUMER = 5;

/**
 * Issue 16's traces, over the real mesh (the launcher's processes) exporting to an in-process
 * OTLP receiver: one progress report at the edge is one trace, from the edge through library's
 * RPC and its outbox to the consumers of its events in recommendation and analytics.
 */
describe("traces across the mesh", () => {
  const admin = { email: "admin@cinemesh.test", password: "Admin-passw0rd!" };
  let receiver: OtlpReceiver;
  let mesh: MeshProcess;
  let api: EdgeApi;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    mesh = await startMeshProcess({
      portOffset: 8000,
      env: { CINEMESH_ADMIN_EMAIL: admin.email, CINEMESH_ADMIN_PASSWORD: admin.password, LOG_LEVEL: "warn", OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, OTEL_BSP_SCHEDULE_DELAY: "100" },
    });
    api = edgeApi(mesh.edgeUrl);
  }, 120_000);
  afterAll(async () => {
    await mesh?.stop();
    await receiver?.close();
  });

  it("follows one progress report from the edge to the event consumers in recommendation and analytics", async () => {
    const adminToken = ok(await api("POST", "/api/v1/auth/login", { body: admin })).token;
    const contentId = ok(await api("POST", "/api/v1/admin/content", { token: adminToken, body: { title: "Harbour Lights", type: "MOVIE", rating: "PG", genres: ["Drama"], releaseYear: 2021, language: "en", publish: true } })).contentId as string;
    const videoId = ok(await api("GET", `/api/v1/content/${contentId}`, { token: adminToken })).video.videoId as string;
    const token = ok(await api("POST", "/api/v1/auth/signup", { body: { email: "viewer@cinemesh.test", password: "Viewer-passw0rd!", country: "GB" } })).token as string;
    const profile = ok(await api("POST", "/api/v1/profiles", { token, body: { name: "Alex", isKids: false } })).profileId as string;

    // Watched to the end: ProgressRecorded (recommendation) and TitleCompleted (recommendation, analytics).
    ok(await api("POST", `/api/v1/video/${videoId}/progress`, { token, profile, body: { position: 5400, duration: 5400 } }));

    const progressPath = `/api/v1/video/${videoId}/progress`;
    const root = await eventually(() => receiver.spans.find((s) => s.service === "edge" && s.kind === SERVER && s.attributes["url.path"] === progressPath));
    const inTrace = () => receiver.spans.filter((s) => s.traceId === root.traceId);
    const consumers = await eventually(() => {
      const c = inTrace().filter((s) => s.kind === CONSUMER);
      return ["recommendation", "analytics"].every((svc) => c.some((s) => s.service === svc)) ? c : undefined;
    });

    const spans = inTrace();
    expect(root.parentSpanId).toBeUndefined();
    expect(spans.find((s) => s.service === "library" && s.kind === SERVER)?.name).toBe("cinemesh.library.v1.LibraryService/ReportProgress");
    // The library's own Postgres work (the outbox write) is in the trace, from the pg instrumentation.
    const library = spans.filter((s) => s.service === "library");
    expect(library.some((s) => (s.attributes["db.system.name"] ?? s.attributes["db.system"]) === "postgresql"), library.map((s) => s.name).join(", ")).toBe(true);
    expect(consumers.map((s) => `${s.service} ${s.name}`)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^recommendation .*progress_recorded process$/), expect.stringMatching(/^analytics .*title_completed process$/)]),
    );
    // Every span hangs off the edge's span: one tree, no orphan reached through a broken hop.
    for (const span of spans) expect(ancestors(span, spans).at(-1), `${span.service} ${span.name}`).toBe(root);
  }, 120_000);
});

function ancestors(span: ReceivedSpan, spans: ReceivedSpan[]): ReceivedSpan[] {
  const chain = [span];
  for (let s: ReceivedSpan | undefined = span; s?.parentSpanId !== undefined; ) {
    s = spans.find((p) => p.spanId === s!.parentSpanId);
    if (s !== undefined) chain.push(s);
  }
  return chain;
}

async function eventually<T>(probe: () => T | undefined, attempts = 300): Promise<T> {
  for (let i = 0; i < attempts; i++) {
    const found = probe();
    if (found !== undefined) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("the expected spans never arrived");
}
