import { readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { measureBitrate, type MeasuredBitrate } from "./bitrate.js";
import { videoCodecString } from "./codec-string.js";
import { DASH_MANIFEST, DASH_STREAM_DIR } from "./encode-command.js";
import type { AudioRendition, EncodePlan } from "./encode-plan.js";
import { parseMediaPlaylist, targetDuration, writeMediaPlaylist, type PlaylistSegment } from "./hls-media-playlist.js";
import { writeMasterPlaylist } from "./hls-master-playlist.js";
import type { VideoRendition } from "./ladder.js";
import { patchMpd } from "./mpd.js";
import { rationalValue } from "./rational.js";
import type { StoredSubtitle } from "./subtitles.js";

/** ffmpeg's aac encoder writes AAC-LC. */
export const AAC_LC_CODEC = "mp4a.40.2";
export const HLS_MASTER = "master.m3u8";
const MEDIA_PLAYLIST = "index.m3u8";

export interface PackagedStream {
  name: string;
  /** Media playlist, relative to the work folder ("720p/index.m3u8"). */
  playlist: string;
  codec: string;
  bitrate: MeasuredBitrate;
  /** Init segment and media segments. */
  sizeBytes: number;
  segments: PlaylistSegment[];
}

export interface Packaged {
  video: (PackagedStream & { rendition: VideoRendition })[];
  audio: (PackagedStream & { rendition: AudioRendition })[];
  hlsMaster: string;
  dashManifest: string;
}

/**
 * Turns what the dash muxer left in the work folder into the published layout: each stream's
 * folder renamed after its rendition with its own media playlist, bitrates measured from the
 * segments, codec strings read from the init segments, a complete HLS master and a patched MPD.
 * The segments themselves are untouched: HLS and DASH share them.
 */
export async function packageOutputs(plan: EncodePlan, workDir: string, subtitles: readonly StoredSubtitle[]): Promise<Packaged> {
  const streams: { name: string; codec?: string }[] = [...plan.renditions.map((r) => ({ name: r.name })), ...plan.audio.map((a) => ({ name: a.name, codec: AAC_LC_CODEC }))];
  const packaged = await Promise.all(streams.map((s, id) => packageStream(workDir, id, s.name, s.codec, plan.segmentSeconds)));
  const video = plan.renditions.map((rendition, i) => ({ ...packaged[i]!, rendition }));
  const audio = plan.audio.map((rendition, j) => ({ ...packaged[plan.renditions.length + j]!, rendition }));

  // A variant's bandwidth counts the audio that plays with it: the group's largest.
  const audioPeak = Math.max(0, ...audio.map((a) => a.bitrate.peak));
  const audioAverage = Math.max(0, ...audio.map((a) => a.bitrate.average));
  const master = writeMasterPlaylist({
    variants: video.map((v) => ({
      uri: v.playlist,
      bandwidth: v.bitrate.peak + audioPeak,
      averageBandwidth: v.bitrate.average + audioAverage,
      width: v.rendition.width,
      height: v.rendition.height,
      frameRate: rationalValue(plan.frameRate),
      codecs: audio.length > 0 ? [v.codec, AAC_LC_CODEC] : [v.codec],
    })),
    audio: audio.map((a, j) => ({ uri: a.playlist, name: a.rendition.label, language: a.rendition.language, channels: a.rendition.channels, isDefault: j === 0 })),
    subtitles: subtitles.map((s) => ({ uri: s.playlist, name: s.label, language: s.language, isDefault: false })),
  });
  await writeFile(path.join(workDir, HLS_MASTER), master);

  const mpdPath = path.join(workDir, DASH_MANIFEST);
  const mpd = patchMpd(await readFile(mpdPath, "utf8"), {
    representations: packaged.map((p, id) => ({ id: String(id), directory: p.name, codecs: p.codec, bandwidth: p.bitrate.peak })),
    switchingSets: (["h264", "h265"] as const).map((codec) => plan.renditions.flatMap((r, id) => (r.codec === codec ? [String(id)] : []))),
    subtitles: subtitles.map((s) => ({ language: s.language, label: s.label, uri: s.path })),
  });
  await writeFile(mpdPath, mpd);
  return { video, audio, hlsMaster: HLS_MASTER, dashManifest: DASH_MANIFEST };
}

async function packageStream(workDir: string, id: number, name: string, knownCodec: string | undefined, segmentSeconds: number): Promise<PackagedStream> {
  const ffmpegPlaylist = path.join(workDir, `media_${id}.m3u8`);
  const muxed = parseMediaPlaylist(await readFile(ffmpegPlaylist, "utf8"));
  const streamDir = DASH_STREAM_DIR.replace("$RepresentationID$", String(id));
  const sizes = await Promise.all(muxed.segments.map(async (s) => (await stat(path.join(workDir, s.uri))).size));
  const init = await readFile(path.join(workDir, streamDir, "init.mp4"));
  const codec = knownCodec ?? videoCodecString(init);
  await rename(path.join(workDir, streamDir), path.join(workDir, name));
  const segments = muxed.segments.map((s) => ({ uri: path.basename(s.uri), durationSeconds: s.durationSeconds }));
  const playlist = path.join(name, MEDIA_PLAYLIST);
  await writeFile(path.join(workDir, playlist), writeMediaPlaylist({ initUri: "init.mp4", segments }));
  await rm(ffmpegPlaylist);
  return {
    name,
    playlist,
    codec,
    bitrate: measureBitrate(
      segments.map((s, i) => ({ bytes: sizes[i]!, durationSeconds: s.durationSeconds })),
      Math.max(targetDuration(segments), Math.round(segmentSeconds)),
    ),
    sizeBytes: init.length + sizes.reduce((a, b) => a + b, 0),
    segments,
  };
}
