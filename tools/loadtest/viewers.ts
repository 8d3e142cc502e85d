import type http from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { parseHlsMaster, parseHlsMedia, type HlsMedia } from "./hls-playlists.js";
import type { Route, RouteStats } from "./route-stats.js";
import { timedRequest, type TimedRequestOptions, type TimedResponse } from "./timed-request.js";

/** Where simulated viewers play from: the mesh (a session per viewer) or a reference serving the same files. */
export interface PlaybackTarget {
  /** The master playlist URL for viewer `i`; the mesh starts a playback session for it. Undefined when it failed (already recorded). */
  openSession(i: number, http: TimedHttp): Promise<URL | undefined>;
  /** Reports viewer `i`'s position (the mesh), or does nothing (a plain file server). */
  reportProgress(i: number, http: TimedHttp, positionSeconds: number, durationSeconds: number): Promise<void>;
}

export interface ViewerRunOptions {
  viewers: number;
  seconds: number;
  /** Wall time between two progress reports of one viewer. */
  progressEverySeconds: number;
  agent: http.Agent;
  stats: RouteStats;
}

/** A timed request whose outcome is recorded under `route`: the response when it was a 2xx, else undefined. */
export type TimedHttp = (route: Route, url: URL, opts?: TimedRequestOptions) => Promise<TimedResponse | undefined>;

const MS = 1000;
// A fetch issued this late after its due time means the viewer fell behind the playback rate.
const LATE_MS = 1000;

/**
 * Runs `viewers` simulated HLS players against `target` for `seconds` of wall time. Each one opens
 * a session, reads the master, its rung's media playlist and the audio playlist, both init
 * segments, then fetches one video and one audio segment per segment duration, as a player does
 * once its buffer is full, looping over the video; it reports progress every
 * `progressEverySeconds`. Viewer i plays the i-th rung (round robin over the master's variants),
 * and starts i/viewers of a segment duration after the first, so requests are spread out, not in
 * lockstep. Nothing here depends on which server answers, so the mesh and the reference see the
 * same schedule.
 */
export async function runViewers(target: PlaybackTarget, opts: ViewerRunOptions): Promise<{ elapsedSeconds: number }> {
  const started = performance.now();
  const deadline = started + opts.seconds * MS;
  const request: TimedHttp = async (route, url, reqOpts) => {
    try {
      const res = await timedRequest(opts.agent, url, reqOpts);
      if (res.status >= 200 && res.status < 300) {
        opts.stats.record(route, res.ms, res.bytes);
        return res;
      }
      if (res.status === 501 && /"code":"unimplemented"/.test(res.text ?? "")) opts.stats.countUnimplemented(route);
      else opts.stats.fail(route, `${reqOpts?.method ?? "GET"} ${url.pathname} answered ${res.status} ${res.text ?? ""}`.trim());
    } catch (err) {
      opts.stats.fail(route, `${reqOpts?.method ?? "GET"} ${url.pathname}: ${err instanceof Error ? err.message : String(err)}`);
    }
    return undefined;
  };
  const viewers = Array.from({ length: opts.viewers }, async (_, i) => {
    // Staggered over the first 4 s, the usual segment duration.
    await sleep((4 * MS * i) / opts.viewers);
    await playOne(i, target, request, deadline, opts);
  });
  await Promise.all(viewers);
  return { elapsedSeconds: (performance.now() - started) / MS };
}

async function playOne(i: number, target: PlaybackTarget, request: TimedHttp, deadline: number, opts: ViewerRunOptions): Promise<void> {
  const masterUrl = await target.openSession(i, request);
  if (masterUrl === undefined) return;
  const master = await request("playlist", masterUrl, { keepText: true });
  if (master === undefined) return;
  const { variants, audio } = parseHlsMaster(master.text!);
  const mediaUrls = [new URL(variants[i % variants.length]!, masterUrl), ...audio.slice(0, 1).map((a) => new URL(a, masterUrl))];
  const tracks = await Promise.all(
    mediaUrls.map(async (url) => {
      const res = await request("playlist", url, { keepText: true });
      return res === undefined ? undefined : { url, playlist: parseHlsMedia(res.text!) };
    }),
  );
  if (tracks.some((t) => t === undefined)) return;
  const [video, ...others] = tracks as { url: URL; playlist: HlsMedia }[];
  await Promise.all(tracks.map((t) => request("init", new URL(t!.playlist.init, t!.url))));

  const duration = Math.round(video!.playlist.segments.reduce((s, seg) => s + seg.seconds, 0));
  const playStarted = performance.now();
  const reporting = reportProgressUntil(deadline, playStarted, duration, (position) => target.reportProgress(i, request, position, duration), opts.progressEverySeconds);
  let due = playStarted;
  for (let k = 0; due < deadline; k++) {
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    else if (-wait > LATE_MS) opts.stats.late++;
    const segment = video!.playlist.segments[k % video!.playlist.segments.length]!;
    await Promise.all([
      request("segment", new URL(segment.uri, video!.url)),
      ...others.map((t) => request("segment", new URL(t.playlist.segments[k % t.playlist.segments.length]!.uri, t.url))),
    ]);
    due += segment.seconds * MS;
  }
  await reporting;
}

async function reportProgressUntil(deadline: number, playStarted: number, duration: number, report: (position: number) => Promise<void>, everySeconds: number): Promise<void> {
  for (let next = playStarted + everySeconds * MS; next < deadline; next += everySeconds * MS) {
    await sleep(next - performance.now());
    await report(Math.floor((performance.now() - playStarted) / MS) % duration);
  }
}
