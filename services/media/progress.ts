import type { EncoderProgress } from "./encoder.js";
import type { JobProgress, RenditionState, RenditionStatus } from "./model.js";

/**
 * Progress aggregation, pure: per-rendition updates from the encoder fold into a job snapshot
 * whose overall percent weighs each rendition by its picture size (a 1080p rung costs about nine
 * 360p rungs). Encoding and packaging make up the first 90 %, copying to the object store the rest.
 */

const ENCODE_SHARE = 90;

export function pendingProgress(): JobProgress {
  return { status: "PENDING", percent: 0, etaSeconds: 0, renditions: [], failureReason: "" };
}

export function processingProgress(): JobProgress {
  return { ...pendingProgress(), status: "PROCESSING" };
}

const STATE_OF: Record<EncoderProgress["state"], RenditionState> = {
  queued: "QUEUED",
  encoding: "ENCODING",
  packaging: "PACKAGING",
  done: "DONE",
  failed: "FAILED",
};

/** Folds one encoder update in; renditions keep the order in which they were first reported. */
export function applyEncoderUpdate(p: JobProgress, u: EncoderProgress): JobProgress {
  const next: RenditionStatus = {
    name: u.rendition,
    state: STATE_OF[u.state],
    percent: clampPercent(u.state === "done" ? 100 : u.percent),
    speed: finiteOr0(u.speed),
    etaSeconds: u.state === "done" ? 0 : Math.max(0, Math.round(finiteOr0(u.etaSeconds))),
    failureReason: u.state === "failed" ? "encoding failed" : "",
  };
  const at = p.renditions.findIndex((r) => r.name === u.rendition);
  const renditions = at < 0 ? [...p.renditions, next] : p.renditions.map((r, i) => (i === at ? next : r));
  return withOverall({ ...p, renditions }, 0);
}

/** Every rendition is being copied to the object store; `fraction` of the bytes are there. */
export function applyUploadProgress(p: JobProgress, fraction: number): JobProgress {
  const renditions = p.renditions.map((r) => ({ ...r, state: "UPLOADING" as const, percent: 100, speed: 0, etaSeconds: 0 }));
  return withOverall({ ...p, renditions }, Math.min(1, Math.max(0, fraction)));
}

export function completedProgress(p: JobProgress): JobProgress {
  const renditions = p.renditions.map((r) => ({ ...r, state: "DONE" as const, percent: 100, speed: 0, etaSeconds: 0 }));
  return { status: "COMPLETED", percent: 100, etaSeconds: 0, renditions, failureReason: "" };
}

export function failedProgress(p: JobProgress, reason: string): JobProgress {
  return { ...p, status: "FAILED", etaSeconds: 0, failureReason: reason };
}

/** Seconds left, extrapolated from how long the attempt took to get to `percent`; 0 when unknown. */
export function estimateEtaSeconds(percent: number, elapsedSeconds: number): number {
  if (percent < 1 || percent >= 100 || elapsedSeconds <= 0) return 0;
  return Math.round((elapsedSeconds * (100 - percent)) / percent);
}

function withOverall(p: JobProgress, uploadFraction: number): JobProgress {
  let weighed = 0;
  let total = 0;
  for (const r of p.renditions) {
    const w = weightOf(r.name);
    weighed += w * encodeShareOf(r);
    total += w;
  }
  const encoded = total === 0 ? 0 : weighed / total;
  const percent = clampPercent(encoded * ENCODE_SHARE + uploadFraction * (100 - ENCODE_SHARE));
  // A job is never 100 % before it is COMPLETED (the catalog still has to learn the renditions).
  return { ...p, percent: Math.min(percent, 99.9) };
}

/** 0-1: how much of the rendition's encoding work is done. */
function encodeShareOf(r: RenditionStatus): number {
  switch (r.state) {
    case "QUEUED":
    case "FAILED":
      return 0;
    case "ENCODING":
      return (0.9 * r.percent) / 100;
    case "PACKAGING":
      return 0.9 + (0.1 * r.percent) / 100;
    default:
      return 1;
  }
}

/** Picture area relative to 360p, from a rung name such as "1080p"; 1 when unknown. */
export function weightOf(name: string): number {
  const height = Number(/^(\d+)p$/i.exec(name)?.[1] ?? 0);
  return height > 0 ? (height / 360) ** 2 : 1;
}

function clampPercent(n: number): number {
  return Math.min(100, Math.max(0, finiteOr0(n)));
}

function finiteOr0(n: number): number {
  return Number.isFinite(n) ? n : 0;
}

/** Rate limiter on an injected clock: at most one pass per interval, except forced ones. */
export class Throttle {
  private last = Number.NEGATIVE_INFINITY;

  constructor(private readonly intervalMs: number) {}

  /** True when the caller should act now: forced, or the interval has passed since the last pass. */
  pass(nowMs: number, force = false): boolean {
    if (!force && nowMs - this.last < this.intervalMs) return false;
    this.last = nowMs;
    return true;
  }
}

/** True when the update changes a rendition's state (worth telling watchers at once). */
export function changesState(p: JobProgress, u: EncoderProgress): boolean {
  const current = p.renditions.find((r) => r.name === u.rendition);
  return current === undefined || current.state !== STATE_OF[u.state];
}
