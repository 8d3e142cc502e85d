import { describe, expect, it } from "vitest";
import type { WatchProgress } from "./watch-store.js";
import { continueWatching, distinctVideos, progressFraction, withLatest } from "./watch-views.js";

const at = (s: number) => new Date(Date.UTC(2025, 0, 1, 0, 0, s));
const entry = (videoId: string, contentId: string, watchedAt: number, positionSeconds = 10, completed = false): WatchProgress => ({
  profileId: "p",
  videoId,
  contentId,
  positionSeconds,
  durationSeconds: 100,
  completed,
  lastWatchedAt: at(watchedAt),
  episodeTitle: "",
});

describe("watch views", () => {
  it("keeps the newest row of each video and hands back the stale ones", () => {
    const { entries, stale } = distinctVideos([entry("a", "x", 9), entry("b", "y", 8), entry("a", "x", 3)]);
    expect(entries.map((e) => e.videoId)).toEqual(["a", "b"]);
    expect(stale.map((e) => e.lastWatchedAt)).toEqual([at(3)]);
  });

  it("lets a newer held-back report replace its stored row and move it up", () => {
    const stored = [entry("a", "x", 9), entry("b", "y", 8)];
    const merged = withLatest(stored, [null, entry("b", "y", 12, 40)]);
    expect(merged.map((e) => [e.videoId, e.positionSeconds])).toEqual([["b", 40], ["a", 10]]);
    // An older report (kv outlived by a later stored write) never wins.
    expect(withLatest(stored, [entry("a", "x", 1, 99), null])[0].positionSeconds).toBe(10);
  });

  it("continues one video per title: the last watched, if started and not completed", () => {
    const history = [entry("e2", "show", 9, 5), entry("e1", "show", 8, 50), entry("m1", "movie1", 7, 0), entry("m2", "movie2", 6, 95, true), entry("m3", "movie3", 5)];
    expect(continueWatching(history).map((e) => e.videoId)).toEqual(["e2", "m3"]);
    expect(continueWatching([entry("e2", "show", 9, 98, true), entry("e1", "show", 8, 50)])).toEqual([]);
  });

  it("reports progress as a 0-1 fraction", () => {
    expect(progressFraction({ positionSeconds: 25, durationSeconds: 100 })).toBe(0.25);
    expect(progressFraction({ positionSeconds: 120, durationSeconds: 100 })).toBe(1);
    expect(progressFraction({ positionSeconds: 5, durationSeconds: 0 })).toBe(0);
  });
});
