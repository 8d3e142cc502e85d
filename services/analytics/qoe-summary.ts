import type { QoeTotals } from "./store.js";

export interface QoeSummary {
  medianStartupTimeMs: number;
  p95StartupTimeMs: number;
  /** Stall time / play time, 0-1. */
  rebufferRatio: number;
  /** Time-weighted average bitrate, bits per second. */
  averageBitrate: number;
  bitrateSwitchesPerHour: number;
  /** Sessions with a fatal error / sessions, 0-1. */
  errorRate: number;
}

const MS_PER_HOUR = 3_600_000;

/** The QoE figures an admin reads, from the sums of the reports; every ratio is 0 when its denominator is. */
export function summariseQoe(t: QoeTotals): QoeSummary {
  const ratio = (num: number, den: number) => (den > 0 ? num / den : 0);
  return {
    medianStartupTimeMs: Math.round(t.medianStartupTimeMs),
    p95StartupTimeMs: Math.round(t.p95StartupTimeMs),
    rebufferRatio: ratio(t.rebufferDurationMs, t.playedDurationMs),
    averageBitrate: Math.round(ratio(t.bitrateTimesPlayedMs, t.playedDurationMs)),
    bitrateSwitchesPerHour: ratio(t.bitrateSwitches, t.playedDurationMs / MS_PER_HOUR),
    errorRate: ratio(t.sessionsWithFatalError, t.sessions),
  };
}
