import path from "node:path";
import { EnvReader, type Env } from "../../platform/config.js";
import { readMediaSigningKey } from "../../platform/media/signing-key.js";

export interface PlaybackConfig {
  /** Public base of the media origin (the edge's `/media`, or a CDN in front of it), no trailing slash. */
  mediaBaseUrl: string;
  /** How long the URLs of one playback session stay valid (seeds/000 §7.2.1: 4 hours). */
  urlTtlSeconds: number;
  /** HMAC key the edge's media origin checks (platform/media/signing-key.ts). */
  signingKey: Buffer;
  /** How long StartPlayback waits for the resume position before starting at 0 instead. */
  resumeTimeoutMs: number;
}

export function readPlaybackConfig(env: Env): PlaybackConfig {
  const r = new EnvReader(env);
  const dataDir = path.resolve(r.string("CINEMESH_DATA_DIR", ".cinemesh"));
  const base = r.url("PLAYBACK_MEDIA_BASE_URL", ["http:", "https:"]) ?? "http://127.0.0.1:8080/media";
  const config: PlaybackConfig = {
    mediaBaseUrl: base.replace(/\/+$/, ""),
    urlTtlSeconds: r.int("PLAYBACK_URL_TTL_SECONDS", 4 * 3600, 60, 7 * 24 * 3600),
    signingKey: readMediaSigningKey(r, dataDir),
    resumeTimeoutMs: r.int("PLAYBACK_RESUME_TIMEOUT_MS", 500, 1),
  };
  r.done();
  return config;
}
