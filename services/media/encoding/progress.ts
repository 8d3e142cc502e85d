export type RenditionState = "queued" | "encoding" | "packaging" | "done" | "failed";
/** What a progress entry is about: a video rung, an audio track, or the side outputs. */
export type RenditionKind = "video" | "audio" | "artwork" | "subtitles";

export interface RenditionProgress {
  /** "1080p", "audio-en", "artwork", "subtitles". */
  rendition: string;
  kind: RenditionKind;
  state: RenditionState;
  /** 0–100 within this rendition. */
  percent: number;
  /** Encoding speed, × real time (0 until known). */
  speed: number;
  /** Seconds until this rendition is done; 0 when unknown or done. */
  etaSeconds: number;
}

export interface ProgressReporterOptions {
  renditions: { name: string; kind: RenditionKind }[];
  durationSeconds: number;
  onProgress?: (p: RenditionProgress) => void;
  /** Milliseconds clock; injected by tests. */
  now?: () => number;
  /** At most one encoding update per rendition per this many ms (state changes always go out). */
  minIntervalMs?: number;
}

export interface ProgressReporter {
  /** Moves renditions to a state, reporting each that changed. */
  setState(names: readonly string[], state: RenditionState): void;
  /** Marks every rendition that is not done as failed (the job stopped). */
  failUnfinished(): void;
  /** ffmpeg has produced `mediaSeconds` of output for these renditions (all of them by default). */
  encoded(mediaSeconds: number, names?: readonly string[]): void;
  snapshot(): RenditionProgress[];
}

/**
 * Maps ffmpeg's position in the output to each rendition's state, percent, speed and ETA, with
 * the callback throttled (ffmpeg reports twice a second; a client needs no more than that).
 */
export function createProgressReporter(opts: ProgressReporterOptions): ProgressReporter {
  const { durationSeconds, onProgress, now = Date.now, minIntervalMs = 250 } = opts;
  const entries = new Map<string, { progress: RenditionProgress; lastEmit: number; encodingSince?: number }>();
  for (const r of opts.renditions) {
    entries.set(r.name, { progress: { rendition: r.name, kind: r.kind, state: "queued", percent: 0, speed: 0, etaSeconds: 0 }, lastEmit: -Infinity });
  }
  const emit = (entry: { progress: RenditionProgress; lastEmit: number }, at: number): void => {
    entry.lastEmit = at;
    onProgress?.({ ...entry.progress });
  };
  const lookup = (name: string) => {
    const entry = entries.get(name);
    if (!entry) throw new Error(`unknown rendition ${name}`);
    return entry;
  };
  return {
    setState(names, state) {
      const at = now();
      for (const name of names) {
        const entry = lookup(name);
        if (entry.progress.state === state) continue;
        entry.progress.state = state;
        if (state === "encoding") entry.encodingSince = at;
        if (state === "done" || state === "packaging") entry.progress.percent = 100;
        if (state !== "encoding") entry.progress.etaSeconds = 0;
        emit(entry, at);
      }
    },
    failUnfinished() {
      this.setState(
        [...entries.values()].filter((e) => e.progress.state !== "done").map((e) => e.progress.rendition),
        "failed",
      );
    },
    encoded(mediaSeconds, names = [...entries.keys()]) {
      const at = now();
      for (const name of names) {
        const entry = lookup(name);
        if (entry.progress.state !== "encoding") continue;
        const position = Math.min(Math.max(mediaSeconds, 0), durationSeconds);
        const elapsedSeconds = (at - (entry.encodingSince ?? at)) / 1000;
        const speed = elapsedSeconds > 0 ? position / elapsedSeconds : 0;
        entry.progress.percent = round(durationSeconds > 0 ? (position / durationSeconds) * 100 : 0, 1);
        entry.progress.speed = round(speed, 2);
        entry.progress.etaSeconds = speed > 0 ? Math.ceil((durationSeconds - position) / speed) : 0;
        if (at - entry.lastEmit >= minIntervalMs) emit(entry, at);
      }
    },
    snapshot() {
      return [...entries.values()].map((e) => ({ ...e.progress }));
    },
  };
}

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
