import { EncodingJobStatus, VideoQuality } from "../../gen/cinemesh/common/v1/enums_pb.js";
import type { WatchJobResponse } from "../../gen/cinemesh/media/v1/media_pb.js";
import { RenditionState, type RenditionProgress } from "../../gen/cinemesh/media/v1/media_types_pb.js";

/**
 * What one progress bar shows: `value` out of 100 for the bar itself, and the text columns of
 * BAR_FORMAT. Pure functions of a WatchJob update (or of the upload's byte counts), so the
 * terminal side only draws.
 */
export interface BarLine {
  /** Stable identity of the bar across updates ("upload", "total", "1080p", …). */
  key: string;
  value: number;
  payload: { name: string; state: string; percent: string; speed: string; remaining: string };
}

/** cli-progress format string for every bar. */
// Payload names avoid cli-progress's own tokens ({eta}, {percentage}, …), which would win.
export const BAR_FORMAT = "{name} {bar} {percent} {state} {speed} ETA {remaining}";

/** Column widths, so the bars of one job line up. */
const STATE_WIDTH = 15;
const SPEED_WIDTH = 9;

export function renditionLine(r: RenditionProgress): BarLine {
  const name = qualityLabel(r.quality);
  const done = r.state === RenditionState.DONE;
  const failed = r.state === RenditionState.FAILED;
  const value = done ? 100 : clampPercent(r.percent);
  return {
    key: name,
    value,
    payload: {
      name: name.padEnd(7),
      state: (failed && r.failureReason ? `failed: ${r.failureReason}` : renditionStateLabel(r.state)).padEnd(STATE_WIDTH),
      percent: formatPercent(value),
      speed: (r.state === RenditionState.ENCODING ? formatSpeed(r.speed) : "").padStart(SPEED_WIDTH),
      remaining: done ? "done" : failed ? "-" : formatEta(r.etaSeconds),
    },
  };
}

/** The whole job, weighted over renditions as the server reports it. */
export function jobLine(u: WatchJobResponse): BarLine {
  const value = u.status === EncodingJobStatus.COMPLETED ? 100 : clampPercent(u.percent);
  return {
    key: "total",
    value,
    payload: {
      name: "total".padEnd(7),
      state: jobStatusLabel(u.status).padEnd(STATE_WIDTH),
      percent: formatPercent(value),
      speed: "".padStart(SPEED_WIDTH),
      remaining: u.status === EncodingJobStatus.COMPLETED ? "done" : formatEta(u.etaSeconds),
    },
  };
}

/** Every bar an update shows: the job's total, then its renditions from the highest quality down. */
export function watchLines(u: WatchJobResponse): BarLine[] {
  const renditions = [...u.renditions].sort((a, b) => b.quality - a.quality);
  return [jobLine(u), ...renditions.map(renditionLine)];
}

export function uploadLine(sent: number, total: number, bytesPerSecond: number): BarLine {
  const value = total > 0 ? clampPercent((sent / total) * 100) : 0;
  const remaining = bytesPerSecond > 0 ? (total - sent) / bytesPerSecond : 0;
  return {
    key: "upload",
    value,
    payload: {
      name: "upload".padEnd(7),
      state: `${formatBytes(sent)}/${formatBytes(total)}`.padEnd(STATE_WIDTH),
      percent: formatPercent(value),
      speed: (bytesPerSecond > 0 ? `${formatBytes(bytesPerSecond)}/s` : "").padStart(SPEED_WIDTH),
      remaining: sent >= total ? "done" : formatEta(Math.ceil(remaining)),
    },
  };
}

export interface Outcome {
  ok: boolean;
  message: string;
}

/** The last word on a job that ended; undefined while it is still going. */
export function outcomeOf(u: WatchJobResponse): Outcome | undefined {
  if (u.status === EncodingJobStatus.COMPLETED) {
    const ladder = watchLines(u).slice(1).map((l) => l.key).join(", ");
    return { ok: true, message: `encoding job ${u.jobId} completed: video ${u.videoId} is ready${ladder ? ` (${ladder})` : ""}` };
  }
  if (u.status === EncodingJobStatus.FAILED) {
    const failed = u.renditions.filter((r) => r.state === RenditionState.FAILED && r.failureReason !== "").map((r) => `${qualityLabel(r.quality)}: ${r.failureReason}`);
    const reason = u.failureReason || failed.join("; ") || "no reason given";
    const detail = u.failureReason && failed.length > 0 ? ` (${failed.join("; ")})` : "";
    return { ok: false, message: `encoding job ${u.jobId} failed: ${reason}${detail}` };
  }
  return undefined;
}

/** "1080p" for VIDEO_QUALITY_1080P. */
export function qualityLabel(q: VideoQuality): string {
  return q === VideoQuality.VIDEO_QUALITY_UNSPECIFIED ? "source" : (VideoQuality[q] ?? `q${q}`).replace(/^VIDEO_QUALITY_/, "").toLowerCase();
}

export function renditionStateLabel(s: RenditionState): string {
  return s === RenditionState.UNSPECIFIED ? "waiting" : (RenditionState[s] ?? `state ${s}`).toLowerCase();
}

export function jobStatusLabel(s: EncodingJobStatus): string {
  return s === EncodingJobStatus.UNSPECIFIED ? "unknown" : (EncodingJobStatus[s] ?? `status ${s}`).toLowerCase();
}

/** "42.5%", right-aligned to 6 characters. */
export function formatPercent(p: number): string {
  return `${clampPercent(p).toFixed(1)}%`.padStart(6);
}

/** Encoding speed as a multiple of real time: "2.50×"; empty when unknown. */
export function formatSpeed(speed: number): string {
  if (!(speed > 0)) return "";
  return `${speed >= 10 ? speed.toFixed(0) : speed.toFixed(2)}×`;
}

/** "0:42", "12:05", "1:02:05"; "--:--" when unknown (0). */
export function formatEta(seconds: number): string {
  if (!(seconds > 0) || !Number.isFinite(seconds)) return "--:--";
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${rest}` : `${m}:${rest}`;
}

/** "512 B", "3.4 MB", "1.20 GB" (decimal units, as network speeds are). */
export function formatBytes(n: number): string {
  if (n < 1000) return `${Math.round(n)} B`;
  const units = ["kB", "MB", "GB", "TB"];
  let v = n;
  let i = -1;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)} ${units[i]}`;
}

function clampPercent(p: number): number {
  return Number.isFinite(p) ? Math.min(100, Math.max(0, p)) : 0;
}
