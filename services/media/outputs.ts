import { createReadStream } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import path from "node:path";
import { contentTypeOf } from "../../platform/storage/content-type.js";
import type { ObjectStore } from "../../platform/storage/objects.js";
import type { EncodeResult } from "./encoder.js";
import type { EncodingOutcome } from "./model.js";

/** Copying an encoder's work dir to the object store, and describing what it holds. */

export interface LocalFile {
  /** `/`-separated, relative to the work dir. */
  relative: string;
  size: number;
}

export async function listFiles(dir: string): Promise<LocalFile[]> {
  const out: LocalFile[] = [];
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    out.push({ relative: path.relative(dir, full).split(path.sep).join("/"), size: (await stat(full)).size });
  }
  return out.sort((a, b) => a.relative.localeCompare(b.relative));
}

/** Uploads every file of `dir` under `prefix`, a few at a time; `onBytes` reports progress. */
export async function uploadDir(objects: ObjectStore, dir: string, prefix: string, files: LocalFile[], onBytes: (sent: number) => void, signal?: AbortSignal): Promise<void> {
  let next = 0;
  let sent = 0;
  const lane = async () => {
    while (next < files.length) {
      signal?.throwIfAborted();
      const f = files[next++];
      await objects.put(prefix + f.relative, createReadStream(path.join(dir, f.relative)), contentTypeOf(f.relative));
      sent += f.size;
      onBytes(sent);
    }
  };
  await Promise.all(Array.from({ length: Math.min(4, files.length) }, lane));
}

/** The encoder's result with object keys under `prefix`, as recorded in the catalog and the job. */
export function outcomeOf(result: EncodeResult, prefix: string, encodingSeconds: number): EncodingOutcome {
  const key = (relative: string) => (relative === "" ? "" : prefix + path.posix.normalize(relative));
  const renditions = result.renditions.map((r) => ({
    name: r.name,
    codec: r.codec,
    bitrate: Math.round(r.averageBitrate || r.bitrate),
    peakBitrate: Math.round(r.bitrate),
    width: r.width,
    height: r.height,
    frameRate: r.frameRate,
    playlistKey: key(r.playlist),
    sizeBytes: r.sizeBytes,
  }));
  return {
    durationSeconds: result.durationSeconds,
    renditions: renditions.sort((a, b) => a.height - b.height),
    audioTracks: result.audioTracks.map((a, i) => ({
      language: a.language,
      label: a.label,
      channels: a.channels,
      codec: a.codec ?? "aac",
      bitrate: Math.round(a.bitrate ?? 0),
      isDefault: a.isDefault ?? i === 0,
      playlistKey: key(a.playlist),
    })),
    subtitles: result.subtitles.map((s) => ({ language: s.language, label: s.label, closedCaptions: false, objectKey: key(s.path) })),
    hlsManifestKey: key(result.hlsMaster),
    dashManifestKey: key(result.dashManifest),
    trickplayVttKey: key(result.trickplay.vtt),
    previewKey: key(result.preview),
    thumbnailKeys: result.thumbnails.map(key),
    encodingSeconds,
  };
}
