import { chooseLadder, type LadderRung, type VideoRendition } from "./ladder.js";
import { uniqueTrackNames } from "./language.js";
import { rationalValue, type Rational } from "./rational.js";
import type { SourceInfo } from "./source-info.js";
import { trickplayGrid, type TrickplayGrid } from "./trickplay.js";

/** Everything the single ffmpeg pass needs, decided from the source alone. Pure data. */
export interface EncodePlan {
  sourcePath: string;
  durationSeconds: number;
  /** Constant output frame rate, shared by every rendition. */
  frameRate: Rational;
  /** Frames per GOP; every GOP starts with an IDR frame at the same frame number in every rung. */
  gopFrames: number;
  /** GOPs per segment. */
  gopsPerSegment: number;
  /** Segment length in seconds, exactly gopFrames·gopsPerSegment frames. */
  segmentSeconds: number;
  /** x264/x265 preset. */
  preset: string;
  video: { streamIndex: number; bitDepth: number };
  renditions: VideoRendition[];
  audio: AudioRendition[];
  artwork: ArtworkPlan;
}

export interface AudioRendition {
  /** "audio-en", "audio-en-2", "audio-und". */
  name: string;
  sourceStreamIndex: number;
  /** BCP 47 for playlists; ISO 639-2 as the source had it, kept in the MP4 (which stores 639-2). */
  language: string;
  isoLanguage: string;
  label: string;
  channels: number;
  bitrate: number;
  sampleRate: number;
}

/**
 * Artwork is drawn from the encoded rungs after the pass, not from the source: a 360p keyframe is
 * far cheaper to decode than a source frame, and the pass keeps a single output.
 */
export interface ArtworkPlan {
  /** Stills at keyframes near these times, from the largest rung up to 720p. */
  thumbnails: { rendition: string; keyframeSeconds: number; shots: { atSeconds: number; path: string }[] };
  /** One tile per interval from the lowest rung's keyframes (an interval is a whole number of GOPs). */
  trickplay: { rendition: string; grid: TrickplayGrid; spritePath: string; vttPath: string };
  /** A clip of whole segments of the largest rung up to 480p, copied, without audio. */
  preview: { rendition: string; startSeconds: number; durationSeconds: number; path: string };
}

export interface PlanOptions {
  preset?: string;
  ladder?: readonly LadderRung[];
  /** Target GOP length; the real one is a whole number of frames. */
  gopSeconds?: number;
  gopsPerSegment?: number;
  previewSeconds?: number;
  /** Where thumbnails are taken, as fractions of the duration. */
  thumbnailAt?: readonly number[];
}

export const AUDIO_BITRATE = 128_000;
export const AUDIO_CHANNELS = 2;
export const AUDIO_SAMPLE_RATE = 48_000;
const MAX_FRAME_RATE = 60;

export function planEncode(sourcePath: string, source: SourceInfo, options: PlanOptions = {}): EncodePlan {
  const { preset = "veryfast", gopSeconds = 2, gopsPerSegment = 2, previewSeconds = 10, thumbnailAt = [0.1, 0.5, 0.9] } = options;
  const frameRate = outputFrameRate(source.video.frameRate);
  const fps = rationalValue(frameRate);
  const gopFrames = Math.max(1, Math.round(gopSeconds * fps));
  const display = { width: source.video.displayWidth, height: source.video.displayHeight };
  const duration = source.durationSeconds;
  // Artwork comes from video frames, which may end before the audio (and the container).
  const videoDuration = Math.min(duration, source.video.durationSeconds);
  const audioNames = uniqueTrackNames("audio-", source.audio.map((a) => a.language));
  const renditions = chooseLadder(display, options.ladder);
  const lowest = renditions[0]!;
  const gopDuration = gopFrames / fps;
  const largestUpTo = (shortSide: number): VideoRendition =>
    [...renditions].reverse().find((r) => Math.min(r.width, r.height) <= shortSide && r.codec === "h264") ?? lowest;
  const previewLength = Math.min(previewSeconds, duration);
  return {
    sourcePath,
    durationSeconds: duration,
    frameRate,
    gopFrames,
    gopsPerSegment,
    segmentSeconds: (gopFrames * gopsPerSegment) / fps,
    preset,
    video: { streamIndex: source.video.streamIndex, bitDepth: source.video.bitDepth },
    renditions,
    audio: source.audio.map((a, i) => ({
      name: audioNames[i]!,
      sourceStreamIndex: a.streamIndex,
      language: a.language,
      isoLanguage: a.isoLanguage,
      label: a.label,
      channels: AUDIO_CHANNELS,
      bitrate: AUDIO_BITRATE,
      sampleRate: AUDIO_SAMPLE_RATE,
    })),
    artwork: {
      thumbnails: {
        rendition: largestUpTo(720).name,
        keyframeSeconds: gopDuration,
        // On the keyframe at or before the time, so a still costs one decoded frame.
        shots: thumbnailAt.map((fraction) => ({
          atSeconds: Math.min(Math.floor((fraction * duration) / gopDuration), Math.ceil(videoDuration / gopDuration) - 1) * gopDuration,
          path: `artwork/thumb-${String(Math.round(fraction * 100)).padStart(2, "0")}.jpg`,
        })),
      },
      trickplay: {
        rendition: lowest.name,
        grid: trickplayGrid(videoDuration, lowest, { gopSeconds: gopDuration }),
        spritePath: "artwork/trickplay.jpg",
        vttPath: "artwork/trickplay.vtt",
      },
      preview: {
        rendition: largestUpTo(480).name,
        // A little way in (titles and black frames are at the start), ending before the end.
        startSeconds: Math.max(0, Math.min(duration * 0.1, duration - previewLength)),
        durationSeconds: previewLength,
        path: "artwork/preview.mp4",
      },
    },
  };
}

/** The source's rate, halved until it is at most 60 fps (120 → 60, 100 → 50). */
export function outputFrameRate(source: Rational): Rational {
  let rate = source;
  while (rationalValue(rate) > MAX_FRAME_RATE) rate = rate.num % 2 === 0 ? { num: rate.num / 2, den: rate.den } : { num: rate.num, den: rate.den * 2 };
  return rate;
}
