import { InvalidMediaError } from "./errors.js";

/**
 * The demuxers ffmpeg may use on an upload. Without a list, ffmpeg picks any format it can
 * detect, and some of those open other files: an HLS playlist (`#EXTM3U`) or an `ffconcat` list
 * makes ffmpeg read whatever local paths it names, so an "upload" could encode another user's
 * video or read a secret. Names as ffmpeg 5.1 spells its demuxers ("mov" is the MP4/MOV/3GP
 * demuxer, "matroska" also reads WebM). Still-image and audio-only formats stay readable so that
 * the probe can say precisely why such a file is refused.
 */
export const SOURCE_FORMATS = [
  "mov", "matroska", "avi", "mpegts", "flv", "mxf", "asf", "mpeg", "ogg", "dv",
  "png_pipe", "jpeg_pipe", "webp_pipe", "bmp_pipe", "tiff_pipe", "gif",
  "mp3", "wav", "flac", "aac",
] as const;

/** An upload is a local file: no other protocol (http, tcp, concat, subfile, data, pipe…). */
export const SOURCE_PROTOCOLS = ["file"] as const;

/** Input options that pin what ffmpeg/ffprobe may do when opening an upload (AVFormatContext options). */
export function sourceInputOptions(): string[] {
  return ["-format_whitelist", SOURCE_FORMATS.join(","), "-protocol_whitelist", SOURCE_PROTOCOLS.join(",")];
}

/** Reading the encoded rungs back: HLS media playlists and fMP4, joined with the concat protocol. */
export function renditionInputOptions(): string[] {
  return ["-format_whitelist", "hls,mov", "-protocol_whitelist", "file,concat"];
}

/** Formats that name other files instead of holding media, in words for the uploader. */
const POINTER_FORMATS: Record<string, string> = {
  hls: "an HLS playlist (.m3u8)",
  applehttp: "an HLS playlist (.m3u8)",
  concat: "an ffmpeg concat list (ffconcat)",
  dash: "a DASH manifest (.mpd)",
};

export const NOT_MEDIA_MESSAGE = "The file is not a video: ffmpeg does not recognise it as audio or video.";

/**
 * The refusal for a file ffmpeg recognised as a format that is not on the list, from its stderr
 * ("[hls @ 0x…] Format not on whitelist '…'"); undefined when that is not what happened.
 */
export function formatRefusal(stderr: string, cause?: unknown): InvalidMediaError | undefined {
  const match = /\[([\w,]+) @ [^\]]*\] Format not on whitelist/.exec(stderr);
  if (!match) return undefined;
  const pointer = match[1]!.split(",").map((n) => POINTER_FORMATS[n]).find((d) => d !== undefined);
  const message = pointer
    ? `The file is not a playable video: it is ${pointer}, which only points at other files. Upload the video file itself.`
    : NOT_MEDIA_MESSAGE;
  return new InvalidMediaError("not-media", message, { cause });
}
