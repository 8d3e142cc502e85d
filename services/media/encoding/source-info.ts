import { InvalidMediaError } from "./errors.js";
import { languageLabel, toBcp47, uniqueLabels } from "./language.js";
import { sourceFrameRate } from "./frame-rate.js";
import { NOT_MEDIA_MESSAGE } from "./input-whitelist.js";
import { parseRational, type Rational } from "./rational.js";

/** What the pipeline needs to know about a source, read from ffprobe. */
export interface SourceInfo {
  durationSeconds: number;
  /** ffprobe's format_name, e.g. "mov,mp4,m4a,3gp,3g2,mj2". */
  container: string;
  sizeBytes: number;
  video: VideoStreamInfo;
  /** Every audio stream, in source order. */
  audio: AudioStreamInfo[];
}

export interface VideoStreamInfo {
  /** Index of the stream in the source (for `-map 0:<index>`). */
  streamIndex: number;
  /** Its position among the source's video streams (for the `v:<n>` specifier). */
  videoIndex: number;
  codec: string;
  /** Coded size, as stored. */
  width: number;
  height: number;
  /** The size a player shows: pixel aspect ratio applied, then rotation. */
  displayWidth: number;
  displayHeight: number;
  /** Clockwise rotation a player applies, from the display matrix (0, 90, 180, 270). */
  rotation: number;
  frameRate: Rational;
  /** Duration of this stream (falls back to the container's). */
  durationSeconds: number;
  bitDepth: number;
}

export interface AudioStreamInfo {
  streamIndex: number;
  codec: string;
  channels: number;
  /** BCP 47 ("en"), or "und" when the source does not say. */
  language: string;
  /** ISO 639-2 code as the source stores it ("eng"), "und" when absent; kept in the outputs. */
  isoLanguage: string;
  /** Menu label: the stream's title if it has one, else the language's English name. */
  label: string;
}

/** The subset of `ffprobe -of json -show_format -show_streams` this module reads. */
export interface FfprobeOutput {
  format?: { format_name?: string; duration?: string; size?: string; nb_streams?: number };
  streams?: FfprobeStream[];
}

export interface FfprobeStream {
  index: number;
  codec_type?: string;
  codec_name?: string;
  width?: number;
  height?: number;
  sample_aspect_ratio?: string;
  pix_fmt?: string;
  bits_per_raw_sample?: string;
  r_frame_rate?: string;
  avg_frame_rate?: string;
  duration?: string;
  channels?: number;
  disposition?: { attached_pic?: number; default?: number };
  tags?: Record<string, string | undefined>;
  side_data_list?: { side_data_type?: string; rotation?: number }[];
}

/**
 * ANSI-art and "binary text" demuxers: ffmpeg picks them by file extension (.txt, .bin…) for
 * files it cannot otherwise identify, and they render any bytes as a picture of text.
 */
const TEXT_ART_FORMATS = new Set(["tty", "bin", "xbin", "adf", "idf"]);
const TEXT_ART_CODECS = new Set(["ansi", "bintext", "xbin", "idf"]);
/** Single-picture formats: media, but not video. */
const STILL_IMAGE_CODECS = new Set(["png", "mjpeg", "jpeg2000", "bmp", "gif", "webp", "tiff", "jpegls"]);

/**
 * Turns ffprobe's report into a SourceInfo, or throws InvalidMediaError with a reason a person
 * understands when the file is not something the ladder can be encoded from.
 */
export function interpretProbe(probe: FfprobeOutput): SourceInfo {
  const format = probe.format ?? {};
  const streams = probe.streams ?? [];
  const formatName = format.format_name ?? "";
  if (TEXT_ART_FORMATS.has(formatName) || streams.length === 0 || streams.every((s) => TEXT_ART_CODECS.has(s.codec_name ?? ""))) {
    throw new InvalidMediaError("not-media", NOT_MEDIA_MESSAGE);
  }
  const videoStream = streams.find((s) => s.codec_type === "video" && !s.disposition?.attached_pic);
  if (!videoStream) {
    const audioCount = streams.filter((s) => s.codec_type === "audio").length;
    throw new InvalidMediaError(
      "no-video",
      audioCount > 0
        ? `The file has no video stream, only audio (${audioCount} track${audioCount > 1 ? "s" : ""}).`
        : "The file has no video stream.",
    );
  }
  if (!videoStream.codec_name || !videoStream.width || !videoStream.height) {
    throw new InvalidMediaError(
      "no-video",
      `The video stream cannot be decoded: ffmpeg does not know its codec${videoStream.codec_name ? ` (${videoStream.codec_name})` : ""}.`,
    );
  }
  const containerDuration = Number(format.duration);
  const streamDuration = Number(videoStream.duration);
  const durationSeconds = Number.isFinite(containerDuration) && containerDuration > 0 ? containerDuration : streamDuration;
  if (STILL_IMAGE_CODECS.has(videoStream.codec_name) && !(durationSeconds > 0.5)) {
    throw new InvalidMediaError("no-video", "The file is a still image, not a video.");
  }
  if (!(durationSeconds > 0)) {
    throw new InvalidMediaError("corrupt", "The video's duration cannot be read: the file is damaged or incomplete.");
  }
  const frameRate = sourceFrameRate(videoStream.r_frame_rate, videoStream.avg_frame_rate);
  if (!frameRate) {
    throw new InvalidMediaError("corrupt", "The video's frame rate cannot be read: the file is damaged or incomplete.");
  }
  const rotation = rotationOf(videoStream);
  const [displayWidth, displayHeight] = displaySize(videoStream.width, videoStream.height, videoStream.sample_aspect_ratio, rotation);
  const audioStreams = streams.filter((s) => s.codec_type === "audio");
  const labels = uniqueLabels(
    audioStreams.map((s, i) => s.tags?.title?.trim() || languageLabel(toBcp47(s.tags?.language), `Audio ${i + 1}`)),
  );
  return {
    durationSeconds,
    container: formatName,
    sizeBytes: Number(format.size) || 0,
    video: {
      streamIndex: videoStream.index,
      videoIndex: streams.filter((s) => s.codec_type === "video").indexOf(videoStream),
      codec: videoStream.codec_name,
      width: videoStream.width,
      height: videoStream.height,
      displayWidth,
      displayHeight,
      rotation,
      frameRate,
      durationSeconds: Number.isFinite(streamDuration) && streamDuration > 0 ? streamDuration : durationSeconds,
      bitDepth: bitDepthOf(videoStream),
    },
    audio: audioStreams.map((s, i) => ({
      streamIndex: s.index,
      codec: s.codec_name ?? "unknown",
      channels: s.channels ?? 0,
      language: toBcp47(s.tags?.language),
      isoLanguage: s.tags?.language?.trim() || "und",
      label: labels[i]!,
    })),
  };
}

/** Clockwise degrees in 0/90/180/270, from the display matrix (ffmpeg ≥ 5) or the legacy `rotate` tag. */
function rotationOf(stream: FfprobeStream): number {
  const matrix = stream.side_data_list?.find((d) => d.side_data_type === "Display Matrix" && typeof d.rotation === "number");
  // ffprobe reports the display matrix's rotation counter-clockwise; the `rotate` tag is clockwise.
  const degrees = matrix ? -matrix.rotation! : Number(stream.tags?.rotate ?? 0);
  if (!Number.isFinite(degrees)) return 0;
  return (((Math.round(degrees / 90) * 90) % 360) + 360) % 360;
}

function displaySize(width: number, height: number, sar: string | undefined, rotation: number): [number, number] {
  const aspect = parseRational(sar);
  const displayWidth = aspect && aspect.num > 0 ? Math.round((width * aspect.num) / aspect.den) : width;
  return rotation % 180 === 0 ? [displayWidth, height] : [height, displayWidth];
}

function bitDepthOf(stream: FfprobeStream): number {
  const raw = Number(stream.bits_per_raw_sample);
  if (Number.isInteger(raw) && raw > 0) return raw;
  const match = /p(\d+)(le|be)$/.exec(stream.pix_fmt ?? "");
  return match ? Number(match[1]) : 8;
}
