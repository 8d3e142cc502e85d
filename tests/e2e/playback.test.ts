import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMeshProcess, type MeshProcess } from "../../platform/launcher/mesh-process.js";
import { signMediaToken } from "../../platform/media/media-token.js";
import { makeClip } from "../../services/media/encoding/synthetic-clip.js";
import { startPlayerServer } from "../../tools/player/server.js";

const run = promisify(execFile);
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

type Json = any;
interface Session {
  sessionId: string;
  hlsManifestUrl: string;
  dashManifestUrl: string;
  resumePosition?: number;
  durationSeconds: number;
  qualities: { label: string; url: string; resolution: string }[];
  audioTracks: { language: string; url: string }[];
  markers?: { introStartSeconds?: number; introEndSeconds?: number };
  trickplayUrl: string;
}

/**
 * Issue 5's acceptance, over the real mesh (`npm start`'s processes) with a video encoded by the
 * real pipeline: playback entitlement, the signed media origin, plan caps, resume and QoE — and a
 * real browser (Debian's Chromium, driven by playwright-core) playing the signed master with
 * hls.js from a page on another origin.
 */
describe("playback, end to end", () => {
  const admin = { email: "admin@cinemesh.test", password: "Admin-passw0rd!" };
  const signingKey = randomBytes(32);
  let mesh: MeshProcess;
  let work: string;
  let browser: Browser;
  let player: { url: string; close(): Promise<void> };
  let adminToken: string;
  let videoId: string;
  const viewers: Record<"premium" | "basic", { token: string; profile: string; userId: string }> = {} as never;

  const api = async (method: string, p: string, opts: { token?: string; profile?: string; body?: unknown } = {}): Promise<{ status: number; body: Json }> => {
    const headers: Record<string, string> = {};
    if (opts.body !== undefined) headers["content-type"] = "application/json";
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (opts.profile) headers["profile-id"] = opts.profile;
    const res = await fetch(`${mesh.edgeUrl}${p}`, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  const ok = (r: { status: number; body: Json }, status = 200): Json => {
    expect(r.status, JSON.stringify(r.body)).toBe(status);
    return r.body;
  };
  const play = async (who: "premium" | "basic"): Promise<Session> => ok(await api("GET", `/api/v1/video/${videoId}/play`, { token: viewers[who].token, profile: viewers[who].profile }));
  const signUp = async (email: string, plan: string) => {
    const { userId, token } = ok(await api("POST", "/api/v1/auth/signup", { body: { email, password: "Viewer-passw0rd!", country: "GB" } }));
    // Accounts start on BASIC; only an admin changes the plan.
    if (plan !== "BASIC") ok(await api("PATCH", `/api/v1/admin/users/${userId as string}`, { token: adminToken, body: { plan } }));
    const profile = ok(await api("POST", "/api/v1/profiles", { token, body: { name: "Viewer", isKids: false } })).profileId as string;
    return { userId: userId as string, token: token as string, profile };
  };

  beforeAll(async () => {
    mesh = await startMeshProcess({
      portOffset: 17_000,
      env: { CINEMESH_ADMIN_EMAIL: admin.email, CINEMESH_ADMIN_PASSWORD: admin.password, LOG_LEVEL: "warn", MEDIA_SIGNING_KEY: signingKey.toString("base64") },
    });
    work = await mkdtemp(path.join(tmpdir(), "playback-e2e-"));
    adminToken = ok(await api("POST", "/api/v1/auth/login", { body: admin })).token;

    // A 24 s 1080p clip with English audio, uploaded as an admin and encoded by the real worker.
    const contentId = ok(await api("POST", "/api/v1/admin/content", { token: adminToken, body: { title: "Harbour Lights", type: "MOVIE", rating: "PG-13", genres: ["Drama"], releaseYear: 2024, language: "en", publish: true } })).contentId;
    const source = path.join(work, "source.mp4");
    await makeClip(source, { width: 1920, height: 1080, seconds: 24, audio: [{ language: "eng" }] });
    const form = new FormData();
    form.set("video", new Blob([await readFile(source)], { type: "video/mp4" }), "harbour.mp4");
    const upload = await fetch(`${mesh.edgeUrl}/api/v1/admin/content/${contentId}/video`, { method: "POST", body: form, headers: { authorization: `Bearer ${adminToken}` } });
    const uploaded = (await upload.json()) as { videoId: string; encodingJobId: string };
    expect(upload.status, JSON.stringify(uploaded)).toBe(201);
    videoId = uploaded.videoId;
    for (;;) {
      const status = ok(await api("GET", `/api/v1/admin/encoding/${uploaded.encodingJobId}/status`, { token: adminToken }));
      if (status.status === "COMPLETED") break;
      expect(status.status, JSON.stringify(status)).not.toBe("FAILED");
      await new Promise((r) => setTimeout(r, 500));
    }
    ok(await api("PUT", `/api/v1/admin/videos/${videoId}/markers`, { token: adminToken, body: { markers: { introStartSeconds: 2, introEndSeconds: 6 } } }));

    viewers.premium = await signUp("premium@cinemesh.test", "PREMIUM");
    viewers.basic = await signUp("basic@cinemesh.test", "BASIC");

    player = await startPlayerServer(0);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--autoplay-policy=no-user-gesture-required"],
    });
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await player?.close();
    await mesh?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it("starts a session with signed, plan-capped URLs, audio, trickplay and the duration", async () => {
    const premium = await play("premium");
    expect(premium.qualities.map((q) => q.label)).toEqual(["360p", "480p", "720p", "1080p"]);
    expect(premium.hlsManifestUrl).toMatch(new RegExp(`^${mesh.edgeUrl}/media/[\\w-]+\\.[\\w-]+/videos/${videoId}/[^/]+/master\\.m3u8$`));
    expect(premium.dashManifestUrl).toMatch(/manifest\.mpd$/);
    expect(premium.audioTracks.map((a) => a.language)).toEqual(["en"]);
    expect(premium.trickplayUrl).toMatch(/\.vtt$/);
    expect(premium.durationSeconds).toBe(24);
    expect(premium.markers).toMatchObject({ introStartSeconds: 2, introEndSeconds: 6 });
    expect(premium.resumePosition ?? 0).toBe(0);
    const basic = await play("basic");
    expect(basic.qualities.map((q) => q.label)).toEqual(["360p", "480p"]);
    const master = await (await fetch(basic.hlsManifestUrl)).text();
    expect(master.split("\n").filter((l) => l.endsWith("index.m3u8"))).toEqual(["360p/index.m3u8", "480p/index.m3u8"]);
  });

  it("denies precisely: another account's profile, an expired subscription, a kids profile, an unknown video", async () => {
    const other = await signUp("other@cinemesh.test", "STANDARD");
    const stranger = await api("GET", `/api/v1/video/${videoId}/play`, { token: other.token, profile: viewers.premium.profile });
    expect(stranger.status).toBe(404);
    const kids = ok(await api("POST", "/api/v1/profiles", { token: other.token, body: { name: "Kid", isKids: true } })).profileId;
    const kidsPlay = await api("GET", `/api/v1/video/${videoId}/play`, { token: other.token, profile: kids });
    expect(kidsPlay.status).toBe(403);
    expect(kidsPlay.body.message).toMatch(/rated PG-13/);
    const missing = await api("GET", `/api/v1/video/${"0".repeat(8)}-0000-4000-8000-${"0".repeat(12)}/play`, { token: other.token, profile: other.profile });
    expect(missing.status).toBe(404);
    ok(await api("PATCH", `/api/v1/admin/users/${other.userId}`, { token: adminToken, body: { status: "EXPIRED" } }));
    const expired = await api("GET", `/api/v1/video/${videoId}/play`, { token: other.token, profile: other.profile });
    expect(expired.status).toBe(412);
    expect(expired.body).toMatchObject({ code: "failed_precondition", message: expect.stringMatching(/subscription is expired/) });
  });

  it("guards the media origin: tampered and expired 403, Range 206, BASIC 1080p 403, ../ refused", async () => {
    const basic = await play("basic");
    const premium = await play("premium");
    const seg = (s: Session, rung: string) => s.hlsManifestUrl.replace(/master\.m3u8$/, `${rung}/seg-00001.m4s`);
    const whole = Buffer.from(await (await fetch(seg(premium, "720p"))).arrayBuffer());
    expect(whole.length).toBeGreaterThan(1000);
    const ranged = await fetch(seg(premium, "720p"), { headers: { range: "bytes=100-599" } });
    expect(ranged.status).toBe(206);
    expect(ranged.headers.get("content-range")).toBe(`bytes 100-599/${whole.length}`);
    expect(Buffer.from(await ranged.arrayBuffer()).equals(whole.subarray(100, 600))).toBe(true);

    expect((await fetch(seg(basic, "1080p"))).status).toBe(403);
    expect((await fetch(seg(basic, "480p"))).status).toBe(200);

    const [base, token, rest] = /^(.*\/media\/)([^/]+)\/(.*)$/.exec(basic.hlsManifestUrl)!.slice(1);
    const tampered = token.replace(/.$/, (c) => (c === "A" ? "B" : "A"));
    expect((await fetch(`${base}${tampered}/${rest}`)).status).toBe(403);
    const expired = signMediaToken(signingKey, { prefix: `videos/${videoId}/`, expiresAt: Math.floor(Date.now() / 1000) - 5, maxShortSide: 480, sessionId: basic.sessionId });
    expect((await fetch(`${base}${expired}/${rest}`)).status).toBe(403);
    for (const escape of [`${base}${token}/videos/${videoId}/../../originals/x`, `${base}${token}/videos/${videoId}/%2e%2e/%2e%2e/keys/media-signing.key`, `${base}${token}/videos/${videoId}/..%2F..%2Fkeys`]) {
      expect([403, 404], escape).toContain((await fetch(escape)).status);
    }
  });

  it("lets ffmpeg read the master playlist through the origin and decode it", async () => {
    const { hlsManifestUrl } = await play("basic");
    const { stderr } = await run("ffmpeg", ["-hide_banner", "-v", "error", "-i", hlsManifestUrl, "-map", "0:v:0", "-map", "0:a:0?", "-f", "null", "-"], { maxBuffer: 1 << 24 });
    expect(stderr.trim()).toBe("");
  }, 120_000);

  const openPlayer = async (who: "premium" | "basic"): Promise<Page> => {
    const page = await browser.newPage();
    const q = new URLSearchParams({ api: mesh.edgeUrl, token: viewers[who].token, profile: viewers[who].profile, video: videoId, report: "3600" });
    await page.goto(`${player.url}/?${q}`);
    return page;
  };
  // In-page code is written as expressions: the tests compile without the DOM library.
  const video = "document.getElementById('video')";
  const waitPlaying = (page: Page, past: number) =>
    page.waitForFunction(`(() => { if (window.cinemesh.error) throw new Error(window.cinemesh.error); return ${video}.currentTime > ${past}; })()`, undefined, { timeout: 60_000, polling: 200 });
  const inPage = <T>(page: Page, expression: string): Promise<T> => page.evaluate(expression) as Promise<T>;
  const levels = (page: Page) => inPage<number[]>(page, "window.cinemesh.levels.map((l) => l.height)");

  it("plays in Chromium with hls.js from another origin, capped per plan, resumes after a reload and reports QoE", async () => {
    const premium = await openPlayer("premium");
    await waitPlaying(premium, 5);
    expect((await levels(premium)).length).toBeGreaterThanOrEqual(2);
    await premium.close();

    const basic = await openPlayer("basic");
    await waitPlaying(basic, 5);
    const basicLevels = await levels(basic);
    expect(basicLevels.length).toBeGreaterThanOrEqual(1);
    expect(Math.max(...basicLevels)).toBeLessThanOrEqual(480);

    // Seek ahead, let it play, report progress (and QoE, heartbeat) the way the page does every 10 s.
    await inPage(basic, `${video}.currentTime = 15`);
    await waitPlaying(basic, 16);
    // Paused first, so the position reported now and the one the page reports as it closes agree.
    const reported = await inPage<{ ok: boolean; at: number }>(basic, `(async () => { ${video}.pause(); return { ok: await window.cinemesh.report(true), at: Math.floor(${video}.currentTime) }; })()`);
    expect(reported.ok).toBe(true);
    await basic.close();

    const again = await openPlayer("basic");
    await waitPlaying(again, 1);
    const session = await inPage<{ resumePosition?: number }>(again, "window.cinemesh.session");
    expect(Math.abs((session.resumePosition ?? 0) - reported.at)).toBeLessThanOrEqual(1);
    const resumedAt = await inPage<number>(again, `${video}.currentTime`);
    expect(Math.abs(resumedAt - reported.at)).toBeLessThanOrEqual(10);
    await again.close();

    // The report shows in the profile's history (progress 0-1) and in continue watching.
    const { token, profile } = viewers.basic;
    const history = ok(await api("GET", `/api/v1/profile/${profile}/watch-history?page=1&limit=10`, { token })).history;
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ videoId, title: "Harbour Lights", completed: false });
    expect(Math.abs(history[0].positionSeconds - reported.at)).toBeLessThanOrEqual(1);
    expect(history[0].progress).toBeCloseTo(reported.at / 24, 1);
    const continuing = ok(await api("GET", `/api/v1/profile/${profile}/continue-watching`, { token })).items;
    expect(continuing.map((i: { videoId: string }) => i.videoId)).toEqual([videoId]);

    const stats = ok(await api("GET", `/api/v1/admin/analytics/video/${videoId}`, { token: adminToken }));
    expect(stats.medianStartupTimeMs).toBeGreaterThan(0);
    // The BASIC page's report carried a heartbeat of the 5+ s it had played.
    expect(Number(stats.watchTimeSeconds ?? 0)).toBeGreaterThanOrEqual(4);
  }, 240_000);
});
