import path from "node:path";
import type { ArtworkPlan } from "./encode-plan.js";
import type { FfmpegCommandSpec } from "./ffmpeg-command.js";
import type { PlaylistSegment } from "./hls-media-playlist.js";
import { renditionInputOptions } from "./input-whitelist.js";

/** Where a rendition's media playlist, init segment and segments are, for reading them back. */
export interface RenditionFiles {
  playlist: string;
  init: string;
  segments: readonly PlaylistSegment[];
}

/**
 * One ffmpeg command drawing all the artwork from the encoded rungs:
 * - the trickplay sprite from the lowest rung, decoding keyframes only (`-skip_frame nokey`) and
 *   keeping every `keyframesPerTile`-th, tiled into one JPEG;
 * - each thumbnail from the keyframe at its timestamp, decoding that segment's keyframes only (init
 *   + segment read back as one fMP4 through the concat protocol: ffmpeg 5.1 cannot seek in fMP4 HLS);
 * - the preview as whole segments copied without re-encoding, starting on the segment boundary
 *   at or before the planned start.
 */
export function buildArtworkCommand(artwork: ArtworkPlan, workDir: string, filesOf: (rendition: string) => RenditionFiles): FfmpegCommandSpec {
  const { grid } = artwork.trickplay;
  const out = (relative: string): string => path.join(workDir, relative);
  const thumbSource = filesOf(artwork.thumbnails.rendition);
  const thumbInputs = artwork.thumbnails.shots.map((shot) => {
    const { index, offset } = keyframeAt(thumbSource.segments, shot.atSeconds, artwork.thumbnails.keyframeSeconds);
    // Shots are on keyframes; a hair earlier so rounding cannot skip past the one wanted.
    return { input: concatInput(thumbSource, index, index), offset: Math.max(0, offset - 0.01) };
  });
  const previewSource = filesOf(artwork.preview.rendition);
  const first = segmentAt(previewSource.segments, artwork.preview.startSeconds);
  const last = segmentAt(previewSource.segments, first.start + artwork.preview.durationSeconds - 1e-3);
  const previewInput = 1 + thumbInputs.length;
  return {
    inputs: [
      { path: filesOf(artwork.trickplay.rendition).playlist, options: ["-hide_banner", "-nostdin", "-v", "error", ...renditionInputOptions(), "-skip_frame", "nokey"] },
      ...thumbInputs.map((t) => ({ path: t.input, options: [...renditionInputOptions(), "-skip_frame", "nokey"] })),
      { path: concatInput(previewSource, first.index, last.index), options: renditionInputOptions() },
    ],
    filterComplex:
      `[0:v]select='not(mod(n,${grid.keyframesPerTile}))',scale=${grid.tileWidth}:${grid.tileHeight},setsar=1,` +
      `tile=${grid.columns}x${grid.rows},format=yuvj420p[sprite]`,
    directories: [out(path.dirname(artwork.trickplay.spritePath))],
    outputs: [
      { path: out(artwork.trickplay.spritePath), options: ["-map", "[sprite]", "-frames:v", "1", "-update", "1", "-q:v", "5"] },
      ...artwork.thumbnails.shots.map((shot, i) => ({
        path: out(shot.path),
        options: ["-map", `${i + 1}:v`, "-ss", thumbInputs[i]!.offset.toFixed(3), "-vf", "format=yuvj420p", "-frames:v", "1", "-update", "1", "-q:v", "2"],
      })),
      {
        path: out(artwork.preview.path),
        options: ["-map", `${previewInput}:v`, "-c", "copy", "-t", artwork.preview.durationSeconds.toFixed(3), "-movflags", "+faststart"],
      },
    ],
  };
}

/**
 * Playlist durations are rounded to the microsecond and sums of them drift from the time a GOP
 * count gives; a time this close to a segment's end belongs to the next segment.
 */
const BOUNDARY_TOLERANCE_SECONDS = 1e-3;

/**
 * The segment holding time `t` (the last one past the end), when it starts and how long it is.
 * A time within a millisecond of a boundary is the next segment's start: that keyframe is there.
 */
export function segmentAt(segments: readonly PlaylistSegment[], t: number): { index: number; start: number; durationSeconds: number } {
  if (segments.length === 0) throw new Error("the rendition has no segments");
  let start = 0;
  for (let i = 0; i < segments.length; i++) {
    const { durationSeconds } = segments[i]!;
    const end = start + durationSeconds;
    if (t < end - BOUNDARY_TOLERANCE_SECONDS || i === segments.length - 1) return { index: i, start, durationSeconds };
    start = end;
  }
  throw new Error("unreachable");
}

/**
 * The segment to read for a still at `t`, and the keyframe's offset inside it: never past the
 * segment's last keyframe (a segment starts on a keyframe and has one every `keyframeSeconds`),
 * so the seek lands on a frame that is read, whatever the source's length.
 */
export function keyframeAt(segments: readonly PlaylistSegment[], t: number, keyframeSeconds: number): { index: number; offset: number } {
  const { index, start, durationSeconds } = segmentAt(segments, t);
  const lastKeyframe = Math.floor((durationSeconds - BOUNDARY_TOLERANCE_SECONDS) / keyframeSeconds) * keyframeSeconds;
  return { index, offset: Math.min(Math.max(0, t - start), Math.max(0, lastKeyframe)) };
}

/** Init segment and segments first..last as one fMP4 byte stream (ffmpeg's concat protocol). */
function concatInput(files: RenditionFiles, first: number, last: number): string {
  const dir = path.dirname(files.init);
  const parts = [files.init, ...files.segments.slice(first, last + 1).map((s) => path.join(dir, s.uri))];
  if (parts.some((p) => p.includes("|"))) throw new Error(`a path holds "|", which the concat protocol cannot read: ${dir}`);
  return `concat:${parts.join("|")}`;
}
