import { readFile, rm } from "node:fs/promises";
import path from "node:path";
import { expect } from "vitest";
import { parseMediaPlaylist } from "../hls-media-playlist.js";
import type { EncodeResult } from "../pipeline.js";
import { decodeErrors, joinRendition, playlistTags, streamsOf, variantUris, videoPackets, vttCues } from "./inspect.js";

export interface PackageExpectations {
  /** Display size of the source, to check aspect ratio and that nothing was upscaled. */
  source: { width: number; height: number };
  renditions: string[];
  /** BCP 47 languages of the audio tracks, in source order. */
  audioLanguages: string[];
  subtitleLanguages?: string[];
}

const read = (workDir: string, relative: string): Promise<string> => readFile(path.join(workDir, relative), "utf8");

/**
 * Everything a player (and an operator) relies on in an encoded package, checked with ffmpeg and
 * ffprobe against the files themselves.
 */
export async function checkPackage(workDir: string, result: EncodeResult, want: PackageExpectations): Promise<void> {
  expect(result.renditions.map((r) => r.name)).toEqual(want.renditions);
  await checkMaster(workDir, result, want);
  await checkDecodes(workDir, result);
  await checkSegments(workDir, result);
  await checkKeyframes(workDir, result);
  await checkPictures(workDir, result, want);
  await checkDash(workDir, result);
  await checkArtwork(workDir, result);
}

async function checkMaster(workDir: string, result: EncodeResult, want: PackageExpectations): Promise<void> {
  const master = await read(workDir, result.hlsMaster);
  expect(variantUris(master).sort()).toEqual(result.renditions.map((r) => r.playlist).sort());
  const variants = playlistTags(master, "#EXT-X-STREAM-INF");
  for (const r of result.renditions) {
    const v = variants[variantUris(master).indexOf(r.playlist)]!;
    expect(v.RESOLUTION).toBe(`${r.width}x${r.height}`);
    expect(Number(v["FRAME-RATE"])).toBeCloseTo(r.frameRate, 2);
    expect(v.CODECS!.split(",")).toEqual(want.audioLanguages.length > 0 ? [r.codec, "mp4a.40.2"] : [r.codec]);
    expect(Number(v["AVERAGE-BANDWIDTH"])).toBeGreaterThan(0);
    expect(Number(v["AVERAGE-BANDWIDTH"])).toBeLessThanOrEqual(Number(v.BANDWIDTH));
    expect(Number(v.BANDWIDTH)).toBeGreaterThanOrEqual(r.bitrate);
  }
  const media = playlistTags(master, "#EXT-X-MEDIA");
  const audio = media.filter((m) => m.TYPE === "AUDIO");
  expect(audio.map((a) => a.LANGUAGE ?? "und")).toEqual(want.audioLanguages);
  expect(audio.map((a) => a.DEFAULT)).toEqual(want.audioLanguages.map((_, i) => (i === 0 ? "YES" : "NO")));
  expect(audio.map((a) => a.URI)).toEqual(result.audioTracks.map((a) => a.playlist));
  const subtitles = media.filter((m) => m.TYPE === "SUBTITLES");
  expect(subtitles.map((s) => s.LANGUAGE)).toEqual(want.subtitleLanguages ?? []);
  for (const s of subtitles) {
    const playlist = parseMediaPlaylist(await read(workDir, s.URI!));
    const vtt = await read(workDir, path.join(path.dirname(s.URI!), playlist.segments[0]!.uri));
    expect(vtt.startsWith("WEBVTT")).toBe(true);
    expect(vttCues(vtt).length).toBeGreaterThan(0);
  }
  if (subtitles.length > 0) expect(variants.every((v) => v.SUBTITLES === "subs")).toBe(true);
}

/** ffmpeg decodes the master (every variant and audio rendition) and each media playlist without a word. */
async function checkDecodes(workDir: string, result: EncodeResult): Promise<void> {
  expect(await decodeErrors(path.join(workDir, result.hlsMaster))).toBe("");
  for (const playlist of [...result.renditions, ...result.audioTracks].map((r) => r.playlist)) {
    expect(await decodeErrors(path.join(workDir, playlist)), playlist).toBe("");
  }
}

/**
 * Video segments are exactly the target (two GOPs) but the last; the target duration is the
 * longest segment rounded (one segment's worth, or the whole of a shorter source).
 */
async function checkSegments(workDir: string, result: EncodeResult): Promise<void> {
  const targetDuration = Math.round(Math.min(result.segmentSeconds, result.durationSeconds));
  for (const r of result.renditions) {
    const text = await read(workDir, r.playlist);
    expect(text).toContain(`#EXT-X-TARGETDURATION:${targetDuration}\n`);
    const { segments } = parseMediaPlaylist(text);
    const total = segments.reduce((t, s) => t + s.durationSeconds, 0);
    expect(total).toBeCloseTo(result.durationSeconds, 1);
    segments.slice(0, -1).forEach((s) => expect(s.durationSeconds).toBeCloseTo(result.segmentSeconds, 3));
    expect(segments.at(-1)!.durationSeconds).toBeLessThanOrEqual(result.segmentSeconds + 1e-3);
  }
  for (const a of result.audioTracks) {
    const text = await read(workDir, a.playlist);
    const target = Number(/#EXT-X-TARGETDURATION:(\d+)/.exec(text)![1]);
    expect(target).toBe(targetDuration);
    parseMediaPlaylist(text).segments.forEach((s) => expect(Math.round(s.durationSeconds)).toBeLessThanOrEqual(target));
  }
}

/** Every segment of every rung starts with a keyframe, and keyframes fall at the same times in every rung. */
async function checkKeyframes(workDir: string, result: EncodeResult): Promise<void> {
  const keyframeTimes: string[] = [];
  for (const r of result.renditions) {
    const joined = path.join(workDir, `${r.name}.joined.check.mp4`);
    const { segmentStarts } = await joinRendition(workDir, r.playlist, joined);
    const packets = (await videoPackets(joined)).sort((a, b) => a.pts - b.pts);
    const t0 = packets[0]!.pts;
    const halfFrame = 0.5 / r.frameRate;
    for (const start of segmentStarts) {
      const first = packets.find((p) => p.pts - t0 > start - halfFrame)!;
      expect(first.key, `${r.name} segment at ${start}s starts with a keyframe`).toBe(true);
      expect(first.pts - t0).toBeCloseTo(start, 2);
    }
    keyframeTimes.push(packets.filter((p) => p.key).map((p) => (p.pts - t0).toFixed(3)).join(","));
    await rm(joined);
  }
  expect(new Set(keyframeTimes).size).toBe(1);
}

/** Square pixels, no rotation left to apply, the source's aspect ratio, never larger than the source. */
async function checkPictures(workDir: string, result: EncodeResult, want: PackageExpectations): Promise<void> {
  const sourceAspect = want.source.width / want.source.height;
  for (const r of result.renditions) {
    const [stream] = await streamsOf(path.join(workDir, path.dirname(r.playlist), "init.mp4"));
    expect([stream!.width, stream!.height]).toEqual([r.width, r.height]);
    expect(stream!.sample_aspect_ratio ?? "1:1").toBe("1:1");
    expect(stream!.side_data_list ?? []).toEqual([]);
    expect(r.width).toBeLessThanOrEqual(want.source.width);
    expect(r.height).toBeLessThanOrEqual(want.source.height);
    expect(r.width % 2 + (r.height % 2)).toBe(0);
    expect(Math.abs(r.width / r.height / sourceAspect - 1)).toBeLessThan(0.01);
  }
}

/** ffprobe reads the MPD and finds every rendition, audio track and subtitle in it; its media decode. */
async function checkDash(workDir: string, result: EncodeResult): Promise<void> {
  const mpd = path.join(workDir, result.dashManifest);
  const streams = await streamsOf(mpd, ["-allowed_extensions", "ALL"]);
  expect(streams.filter((s) => s.codec_type === "video").map((s) => `${s.width}x${s.height}`)).toEqual(result.renditions.map((r) => `${r.width}x${r.height}`));
  expect(streams.filter((s) => s.codec_type === "audio")).toHaveLength(result.audioTracks.length);
  expect(streams.filter((s) => s.codec_type === "subtitle")).toHaveLength(result.subtitles.length);
  const text = await readFile(mpd, "utf8");
  expect(text.trim().endsWith("</MPD>")).toBe(true);
  for (const r of result.renditions) expect(text).toContain(`codecs="${r.codec}"`);
  const maps = ["-map", "0:v", ...(result.audioTracks.length > 0 ? ["-map", "0:a"] : [])];
  // The text AdaptationSets point at .vtt files, which ffmpeg's demuxer only opens when told to.
  expect(await decodeErrors(mpd, { inputOptions: ["-allowed_extensions", "ALL"], maps })).toBe("");
}

/** The trickplay cues cover the whole duration back to back, inside the sprite; stills and preview decode. */
async function checkArtwork(workDir: string, result: EncodeResult): Promise<void> {
  const [sprite] = await streamsOf(path.join(workDir, result.trickplay.sprite));
  const cues = vttCues(await read(workDir, result.trickplay.vtt));
  expect(cues[0]!.start).toBe(0);
  cues.slice(1).forEach((c, i) => expect(c.start).toBeCloseTo(cues[i]!.end, 3));
  expect(cues.at(-1)!.end).toBeCloseTo(result.durationSeconds, 2);
  for (const cue of cues) {
    const [, x, y, w, h] = /#xywh=(\d+),(\d+),(\d+),(\d+)$/.exec(cue.payload)!.map(Number);
    expect(cue.payload.startsWith(`${path.basename(result.trickplay.sprite)}#xywh=`)).toBe(true);
    expect(x! + w!).toBeLessThanOrEqual(sprite!.width!);
    expect(y! + h!).toBeLessThanOrEqual(sprite!.height!);
  }
  for (const thumb of result.thumbnails) {
    const [still] = await streamsOf(path.join(workDir, thumb));
    expect(still!.codec_name).toBe("mjpeg");
  }
  // Taken at different keyframes, so different pictures, once the video has a segment per still.
  const stills = await Promise.all(result.thumbnails.map((t) => readFile(path.join(workDir, t))));
  if (result.durationSeconds >= stills.length * result.segmentSeconds) expect(new Set(stills.map((b) => b.toString("base64"))).size).toBe(stills.length);
  const preview = path.join(workDir, result.preview);
  const previewStreams = await streamsOf(preview);
  expect(previewStreams.map((s) => s.codec_type)).toEqual(["video"]);
  expect(await decodeErrors(preview)).toBe("");
}
