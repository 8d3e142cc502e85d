import type { Kv } from "../../platform/storage/kv.js";
import { HOUR_MS, hourOf, msUntilAfterHour } from "./hours.js";
import { COUNTER_RETENTION_MS, type LiveCounters } from "./live-counters.js";
import type { AnalyticsStore } from "./store.js";

export interface HeartbeatDeps {
  kv: Kv;
  /** Prefix of this service's kv keys. */
  namespace: string;
  counters: LiveCounters;
  store: AnalyticsStore;
  /** Played seconds that make a view. */
  thresholdSeconds: number;
  now: () => Date;
}

export interface Heartbeat {
  userId: string;
  profileId: string;
  videoId: string;
  contentId: string;
  sessionId: string;
  /** Seconds actually played since the previous heartbeat. */
  playedSeconds: number;
}

/**
 * Played seconds of a profile on a video accumulate for this long from the first one, so a few
 * seconds today and a few next week never add up to a view.
 */
const PLAY_WINDOW_MS = 24 * HOUR_MS;

/**
 * Counts a heartbeat: its seconds go to the video's watch time for this hour, and to the
 * profile's played seconds on the video. A view counts when the seconds played since the
 * profile's previous view reach the threshold, and at most once per profile, video and clock
 * hour. Returns whether this heartbeat made the view.
 *
 * Every step is atomic in kv, so racing heartbeats (several tabs, retries, replicas) cannot count
 * a view twice: the played seconds are one counter, the hour's view is claimed with
 * setIfAbsent, and the view's row in Postgres is keyed by (video, hour, profile) besides.
 */
export async function recordHeartbeat(deps: HeartbeatDeps, hb: Heartbeat): Promise<{ viewCounted: boolean }> {
  if (hb.playedSeconds === 0) return { viewCounted: false };
  const now = deps.now();
  const hour = hourOf(now);
  const bucket = { videoId: hb.videoId, hour };
  await ensureBucketOpen(deps, { ...bucket, contentId: hb.contentId }, now);
  await deps.counters.addWatch(bucket, hb.playedSeconds, now);

  const played = await deps.kv.incrBy(playedKey(deps, hb), hb.playedSeconds, { ttlMs: PLAY_WINDOW_MS });
  if (played < deps.thresholdSeconds) return { viewCounted: false };

  const claim = claimKey(deps, hb, hour);
  if (!(await deps.kv.setIfAbsent(claim, String(played), msUntilAfterHour(hour, HOUR_MS, now)))) return { viewCounted: false };
  let recorded: boolean;
  try {
    recorded = await deps.store.recordView({ videoId: hb.videoId, contentId: hb.contentId, profileId: hb.profileId, userId: hb.userId, sessionId: hb.sessionId, hour });
  } catch (err) {
    // Not counted: give the hour back so the next heartbeat can count it.
    await deps.kv.del(claim);
    throw err;
  }
  // Only the claimer spends the seconds, and only those it saw: what racing heartbeats added since
  // stays toward the next view, and the counter can never be spent twice.
  await deps.kv.incrBy(playedKey(deps, hb), -played, { ttlMs: PLAY_WINDOW_MS });
  if (recorded) await deps.counters.addView(bucket, now);
  return { viewCounted: recorded };
}

/**
 * The hour's aggregate row is created before its first counter moves, so the flusher knows every
 * bucket it has to copy. The kv flag, set only once the row exists, spares Postgres a write per heartbeat.
 */
async function ensureBucketOpen(deps: HeartbeatDeps, bucket: { videoId: string; hour: Date; contentId: string }, now: Date): Promise<void> {
  const flag = `${deps.namespace}open:${bucket.hour.getTime()}:${bucket.videoId}`;
  if ((await deps.kv.get(flag)) !== null) return;
  await deps.store.openBucket(bucket);
  await deps.kv.set(flag, "1", { ttlMs: msUntilAfterHour(bucket.hour, COUNTER_RETENTION_MS, now) });
}

const playedKey = (deps: HeartbeatDeps, hb: Heartbeat) => `${deps.namespace}played:${hb.profileId}:${hb.videoId}`;
const claimKey = (deps: HeartbeatDeps, hb: Heartbeat, hour: Date) => `${deps.namespace}viewed:${hour.getTime()}:${hb.profileId}:${hb.videoId}`;
