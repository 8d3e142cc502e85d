import type { Bucket, BucketCounts } from "./live-counters.js";

/** A view that just counted: the fact behind ViewCounted and behind distinct-viewer counts. */
export interface CountedView {
  videoId: string;
  contentId: string;
  profileId: string;
  userId: string;
  sessionId: string;
  /** The clock hour it counted in; a profile has at most one view of a video per hour. */
  hour: Date;
}

/** One QoE report of a playback session, validated, with the caller it came from. */
export interface QoeReport {
  sessionId: string;
  videoId: string;
  userId: string;
  profileId?: string;
  receivedAt: Date;
  startupTimeMs: number;
  rebufferCount: number;
  rebufferDurationMs: number;
  bitrateSwitches: number;
  playedDurationMs: number;
  averageBitrate: number;
  errors: Array<{ code: string; message: string; fatal: boolean; positionSeconds: number }>;
  deviceType: string;
  player: string;
  final: boolean;
}

/** Why a QoE report was not stored. */
export type QoeRejection = "session-of-another-caller" | "session-of-another-video" | "session-ended";

/** The sums a QoE summary is computed from (see qoe-summary.ts). */
export interface QoeTotals {
  sessions: number;
  sessionsWithFatalError: number;
  /** Median and 95th percentile (interpolated) of each session's startup time (its first non-zero report); 0 without any. */
  medianStartupTimeMs: number;
  p95StartupTimeMs: number;
  rebufferDurationMs: number;
  playedDurationMs: number;
  bitrateSwitches: number;
  /** Sum of average bitrate × played milliseconds, the numerator of the time-weighted average. */
  bitrateTimesPlayedMs: number;
}

/** A profile watched a video to the end (library's TitleCompleted), counted in the hour it happened. */
export interface Completion {
  /** The event's id: the same completion delivered again has the same one. */
  eventId: string;
  videoId: string;
  contentId: string;
  profileId: string;
  occurredAt: Date;
  hour: Date;
}

export interface ViewTotals {
  views: number;
  uniqueViewers: number;
  watchSeconds: number;
}

export interface VideoTotals extends ViewTotals {
  completions: number;
}

export interface TopContentRow extends ViewTotals {
  contentId: string;
}

/** An hour of a video whose aggregate may still change. */
export interface OpenBucket extends Bucket {
  contentId: string;
}

/**
 * Half-open time range [from, to). Views and watch time are kept per clock hour, so they cover
 * every hour that overlaps the range; QoE reports are selected by the exact time they arrived.
 */
export interface Range {
  from: Date;
  to: Date;
}

/** Where analytics keeps what must last: counted views, hourly aggregates, QoE reports. */
export interface AnalyticsStore {
  /** Makes sure the hour of a video has an aggregate row for the flusher to find; idempotent. */
  openBucket(bucket: OpenBucket): Promise<void>;
  /**
   * Records the view and its ViewCounted event in one transaction, unless the profile already has
   * a view of the video in that hour; resolves to whether it recorded.
   */
  recordView(view: CountedView): Promise<boolean>;
  /** Buckets not yet final, of one video or of all. */
  openBuckets(videoId?: string): Promise<OpenBucket[]>;
  /**
   * Raises each bucket's aggregate to the counts read (never lowers it, so stale or concurrent
   * writers cannot undo each other) and marks final the buckets whose hour ended before `finalBefore`.
   */
  applyCounts(counts: ReadonlyArray<{ bucket: Bucket; counts: BucketCounts }>, finalBefore: Date): Promise<void>;
  /**
   * Adds the completion to its video's hourly aggregate, unless a completion with its event id was
   * added before (delivery is at least once); resolves to whether it added.
   */
  recordCompletion(completion: Completion): Promise<boolean>;
  videoTotals(videoId: string, range: Range): Promise<VideoTotals>;
  topContent(range: Range, limit: number): Promise<TopContentRow[]>;
  /** Stores the report in its session; the first report claims the session for its caller and video. */
  recordQoe(report: QoeReport): Promise<QoeRejection | null>;
  qoeTotals(videoId: string, range: Range): Promise<QoeTotals>;
}
