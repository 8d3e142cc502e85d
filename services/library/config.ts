import { EnvReader, type Env } from "../../platform/config.js";
import { VIDEO_FACTS_TTL_MS } from "../../platform/rpc/video-facts.js";

export interface LibraryConfig {
  /** Debounce window of progress writes per profile and video (seed §7.2.1: 10 s). */
  progressWindowMs: number;
  /** How often the flusher looks for reports that were held back by the window (trailing writes). */
  progressFlushIntervalMs: number;
  /** How long a video's catalog facts (title, rating, episode) are reused for progress reports. */
  videoCacheTtlMs: number;
  /** Prefix of the library's kv keys ("" or ending in ":"), so deployments or test runs sharing one Redis never collide. */
  kvPrefix: string;
}

/**
 *   LIBRARY_PROGRESS_WINDOW_MS          debounce window, default 10000 (10 s)
 *   LIBRARY_PROGRESS_FLUSH_INTERVAL_MS  flusher period, default 1000
 *   LIBRARY_VIDEO_CACHE_TTL_MS          video facts cache (kv, shared by replicas), default 300000 (5 min), 0: none
 *   LIBRARY_KV_NAMESPACE                prefix of the library's kv keys, default BUS_NAMESPACE (a test
 *                                       mesh's own namespace), else none
 */
export function readLibraryConfig(env: Env): LibraryConfig {
  const r = new EnvReader(env);
  const kvNamespace = r.string("LIBRARY_KV_NAMESPACE", r.string("BUS_NAMESPACE", ""));
  if (!/^[A-Za-z0-9_.:-]*$/.test(kvNamespace)) r.problem(`LIBRARY_KV_NAMESPACE=${kvNamespace}: use letters, digits and _ . : -`);
  const config: LibraryConfig = {
    progressWindowMs: r.int("LIBRARY_PROGRESS_WINDOW_MS", 10_000, 1, 3_600_000),
    progressFlushIntervalMs: r.int("LIBRARY_PROGRESS_FLUSH_INTERVAL_MS", 1_000, 1, 60_000),
    videoCacheTtlMs: r.int("LIBRARY_VIDEO_CACHE_TTL_MS", VIDEO_FACTS_TTL_MS, 0, 86_400_000),
    kvPrefix: kvNamespace === "" ? "" : `${kvNamespace}:`,
  };
  r.done();
  return config;
}
