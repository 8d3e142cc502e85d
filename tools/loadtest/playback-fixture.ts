import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { makeClip } from "../../services/media/encoding/synthetic-clip.js";

/** A viewer's credentials: the account's bearer token and one of its profiles. */
export interface ViewerIdentity {
  token: string;
  profileId: string;
}

export interface PlaybackFixture {
  videoId: string;
  /** The object key of the HLS master (`videos/<videoId>/<job>/master.m3u8`), as the origin serves it. */
  masterKey: string;
  viewers: ViewerIdentity[];
}

export interface FixtureOptions {
  edgeUrl: string;
  admin: { email: string; password: string };
  viewers: number;
  clip: { width: number; height: number; seconds: number };
  log: (line: string) => void;
}

// identity/profiles.ts caps an account at 5 profiles; one profile per simulated viewer.
const PROFILES_PER_ACCOUNT = 5;
// Signup hashes the password with scrypt (~100 ms of CPU): a few at a time keeps the mesh responsive.
const SIGNUP_CONCURRENCY = 4;

/**
 * What the playback benchmark needs from a fresh mesh, made through the public API the way a user
 * would: a published movie with a clip encoded by the real worker, and PREMIUM accounts with one
 * profile per simulated viewer (so every rung of the ladder is open to them).
 */
export async function preparePlaybackFixture(opts: FixtureOptions): Promise<PlaybackFixture> {
  const api = apiClient(opts.edgeUrl);
  const adminToken = (await api("POST", "/api/v1/auth/login", { body: opts.admin })).token as string;
  const contentId = (await api("POST", "/api/v1/admin/content", {
    token: adminToken,
    body: { title: "Load Harbour", type: "MOVIE", rating: "PG", genres: ["Drama"], releaseYear: 2024, language: "en", publish: true },
  })).contentId as string;

  const { videoId, jobId } = await uploadClip(opts, adminToken, contentId);
  opts.log(`uploaded a ${opts.clip.seconds} s ${opts.clip.width}x${opts.clip.height} clip as video ${videoId}; encoding…`);
  const encodeStarted = Date.now();
  for (;;) {
    const status = await api("GET", `/api/v1/admin/encoding/${jobId}/status`, { token: adminToken });
    if (status.status === "COMPLETED") break;
    if (status.status === "FAILED") throw new Error(`encoding failed: ${JSON.stringify(status)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
  opts.log(`encoded in ${((Date.now() - encodeStarted) / 1000).toFixed(1)} s`);

  const accounts = Math.ceil(opts.viewers / PROFILES_PER_ACCOUNT);
  const viewers: ViewerIdentity[] = [];
  const run = Date.now().toString(36);
  for (let first = 0; first < accounts; first += SIGNUP_CONCURRENCY) {
    const batch = Array.from({ length: Math.min(SIGNUP_CONCURRENCY, accounts - first) }, async (_, i) => {
      const a = first + i;
      const { token, userId } = await api("POST", "/api/v1/auth/signup", { body: { email: `load-${run}-${a}@cinemesh.test`, password: "Viewer-passw0rd!", country: "GB" } });
      // Accounts start on BASIC; only an admin changes the plan.
      await api("PATCH", `/api/v1/admin/users/${userId as string}`, { token: adminToken, body: { plan: "PREMIUM" } });
      const profiles = Math.min(PROFILES_PER_ACCOUNT, opts.viewers - a * PROFILES_PER_ACCOUNT);
      const ids: ViewerIdentity[] = [];
      for (let p = 0; p < profiles; p++) {
        const { profileId } = await api("POST", "/api/v1/profiles", { token, body: { name: `Viewer ${p + 1}`, isKids: false } });
        ids.push({ token: token as string, profileId: profileId as string });
      }
      return ids;
    });
    for (const ids of await Promise.all(batch)) viewers.push(...ids);
  }
  opts.log(`${viewers.length} viewers on ${accounts} PREMIUM accounts`);
  const session = await fetch(`${opts.edgeUrl}/api/v1/video/${videoId}/play`, { headers: { authorization: `Bearer ${viewers[0]!.token}`, "profile-id": viewers[0]!.profileId } });
  const { hlsManifestUrl } = (await session.json()) as { hlsManifestUrl: string };
  const masterKey = /\/media\/[^/]+\/(.+)$/.exec(hlsManifestUrl ?? "")?.[1];
  if (masterKey === undefined) throw new Error(`play answered ${session.status} without a media origin URL: ${hlsManifestUrl}`);
  return { videoId, masterKey, viewers };
}

async function uploadClip(opts: FixtureOptions, adminToken: string, contentId: string): Promise<{ videoId: string; jobId: string }> {
  const work = await mkdtemp(path.join(tmpdir(), "playback-bench-"));
  try {
    const source = path.join(work, "source.mp4");
    await makeClip(source, { ...opts.clip, audio: [{ language: "eng" }] });
    const form = new FormData();
    form.set("video", new Blob([await readFile(source)], { type: "video/mp4" }), "load.mp4");
    const res = await fetch(`${opts.edgeUrl}/api/v1/admin/content/${contentId}/video`, { method: "POST", body: form, headers: { authorization: `Bearer ${adminToken}` } });
    const body = (await res.json()) as { videoId: string; encodingJobId: string };
    if (res.status !== 201) throw new Error(`upload answered ${res.status}: ${JSON.stringify(body)}`);
    return { videoId: body.videoId, jobId: body.encodingJobId };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

type Api = (method: string, p: string, opts?: { token?: string; body?: unknown }) => Promise<any>;

function apiClient(edgeUrl: string): Api {
  return async (method, p, opts = {}) => {
    const headers: Record<string, string> = {};
    if (opts.body !== undefined) headers["content-type"] = "application/json";
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    const res = await fetch(`${edgeUrl}${p}`, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${p} answered ${res.status}: ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
}
