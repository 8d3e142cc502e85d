import path from "node:path/posix";
import type { Logger } from "pino";
import type { ObjectStore } from "../../platform/storage/objects.js";
import type { Authorization, CatalogPort } from "./catalog.js";
import { MediaError } from "./errors.js";
import { subtitlePlaylist, withSubtitles, type MasterSubtitle } from "./hls-subtitles.js";
import { objectKeys, type EncodingOutcome, type SubtitleFile } from "./model.js";
import type { MediaStore } from "./store.js";
import { checkWebVtt, decodeSubtitleText, srtToWebVtt, SubtitleFormatError } from "./subtitle-format.js";

/**
 * Uploaded subtitles. They belong to the video and are kept as WebVTT at
 * `videos/{videoId}/subtitles/`, recorded in the catalog (AddSubtitle) and in media's own table.
 * How they reach the players:
 *  - uploaded before the video is encoded: the worker hands them to the encoder, which packages
 *    them with the renditions (HLS and DASH);
 *  - uploaded after (or while) it is encoded: the HLS master playlist of the video's latest
 *    completed job is rewritten to list them (a one-segment WebVTT playlist each). The DASH
 *    manifest is not rewritten; players that need them there read the catalog's subtitle list.
 */
export interface SubtitleDeps {
  store: MediaStore;
  objects: ObjectStore;
  catalog: CatalogPort;
  log: Logger;
}

export interface SubtitleUpload {
  videoId: string;
  language: string;
  label: string;
  format: "SRT" | "WEBVTT";
  content: Uint8Array;
  closedCaptions: boolean;
}

export async function uploadSubtitle(deps: SubtitleDeps, req: SubtitleUpload, auth: Authorization): Promise<SubtitleFile & { subtitleId: string }> {
  const vtt = toWebVtt(req.content, req.format);
  const subtitle: SubtitleFile = {
    language: req.language,
    label: req.label || defaultLabel(req.language, req.closedCaptions),
    closedCaptions: req.closedCaptions,
    objectKey: objectKeys.subtitle(req.videoId, req.language, req.closedCaptions),
  };
  await deps.objects.put(subtitle.objectKey, Buffer.from(vtt, "utf8"), "text/vtt; charset=utf-8");
  let subtitleId: string;
  try {
    ({ subtitleId } = await deps.catalog.addSubtitle(req.videoId, subtitle, auth));
  } catch (err) {
    await deps.objects.delete(subtitle.objectKey);
    throw err;
  }
  await deps.store.upsertSubtitle(req.videoId, subtitle);
  const latest = await deps.store.latestCompletedJob(req.videoId);
  if (latest?.outcome !== undefined) await addSubtitlesToMaster(deps, req.videoId, latest.jobId, latest.outcome);
  return { ...subtitle, subtitleId };
}

/**
 * Makes the job's HLS master list every uploaded subtitle the encoder did not package itself.
 * Serialised per video across processes, and idempotent, so concurrent uploads and a finishing
 * job both end with every subtitle listed.
 */
export async function addSubtitlesToMaster(deps: Pick<SubtitleDeps, "store" | "objects">, videoId: string, jobId: string, outcome: EncodingOutcome): Promise<void> {
  await deps.store.withVideoLock(videoId, async () => {
    const packaged = new Set(outcome.subtitles.map((s) => s.language));
    const extra = (await deps.store.listSubtitles(videoId)).filter((s) => !packaged.has(s.language));
    if (extra.length === 0) return;
    const masterDir = path.dirname(outcome.hlsManifestKey);
    const entries: MasterSubtitle[] = [];
    for (const s of extra) {
      const base = `${objectKeys.outputPrefix(videoId, jobId)}subtitles/${s.language}${s.closedCaptions ? ".cc" : ""}`;
      const vtt = await readAll(deps.objects, s.objectKey);
      await deps.objects.put(`${base}.vtt`, vtt, "text/vtt; charset=utf-8");
      await deps.objects.put(`${base}.m3u8`, Buffer.from(subtitlePlaylist(path.basename(`${base}.vtt`), outcome.durationSeconds)), "application/vnd.apple.mpegurl");
      entries.push({ language: s.language, name: s.label, closedCaptions: s.closedCaptions, uri: path.relative(masterDir, `${base}.m3u8`) });
    }
    const master = (await readAll(deps.objects, outcome.hlsManifestKey)).toString("utf8");
    await deps.objects.put(outcome.hlsManifestKey, Buffer.from(withSubtitles(master, entries)), "application/vnd.apple.mpegurl");
  });
}

function toWebVtt(content: Uint8Array, format: SubtitleUpload["format"]): string {
  try {
    const text = decodeSubtitleText(content);
    return format === "SRT" ? srtToWebVtt(text) : checkWebVtt(text);
  } catch (err) {
    if (err instanceof SubtitleFormatError) throw new MediaError("invalid_argument", `content: ${err.message}`, "content");
    throw err;
  }
}

/** "en" → "English", "es-419" → "Latin American Spanish"; "(CC)" appended for captions. */
export function defaultLabel(language: string, closedCaptions: boolean): string {
  let name = language;
  try {
    name = new Intl.DisplayNames(["en"], { type: "language" }).of(language) ?? language;
  } catch {
    // Not a tag Intl knows: the tag itself is the label.
  }
  return closedCaptions ? `${name} (CC)` : name;
}

async function readAll(objects: ObjectStore, key: string): Promise<Buffer> {
  const read = await objects.get(key);
  const chunks: Buffer[] = [];
  for await (const chunk of read.body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
