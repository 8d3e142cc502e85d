import { randomUUID } from "node:crypto";
import { announceUpdate, changeTitle } from "./change.js";
import { invalid, videoNotFound } from "./errors.js";
import { validateMarkers } from "./markers.js";
import { ContentType, SubtitleFormat, VideoQuality, VideoStatus, type AudioTrack, type Markers, type Rendition, type SubtitleTrack, type Title, type TitleField, type Video } from "./model.js";
import type { CatalogDeps } from "./deps.js";
import { videoOf } from "./reads.js";
import type { CatalogWriter, EncodingOutcome } from "./store.js";

export type SubtitleInput = Omit<SubtitleTrack, "id" | "videoId">;

/** What media reports when an encoding job has finished (ids are the catalog's to assign). */
export interface EncodingReport extends Omit<EncodingOutcome, "renditions" | "audioTracks"> {
  renditions: Omit<Rendition, "id">[];
  audioTracks: Omit<AudioTrack, "id">[];
  subtitles: SubtitleInput[];
}

/** Replaces a video's intro/credits markers, checked against its runtime when known. */
export async function setMarkers(deps: CatalogDeps, videoId: string, markers: Markers): Promise<Video> {
  return changeVideo(deps, videoId, async (tx, title, video) => {
    validateMarkers(markers, video.durationSeconds);
    await tx.setMarkers(videoId, markers);
    return [videoField(title)];
  });
}

/**
 * Records what an encoding job produced; the video becomes READY. A job recorded already is a
 * no-op (media retries). The title takes the still as its thumbnail if it has none, and a movie
 * learns its runtime if it had none.
 */
export async function recordRenditions(deps: CatalogDeps, videoId: string, outcome: EncodingReport): Promise<Video> {
  const qualities = outcome.renditions.map((r) => r.quality);
  if (qualities.includes(VideoQuality.VIDEO_QUALITY_UNSPECIFIED)) throw invalid("renditions: quality is required");
  if (new Set(qualities).size !== qualities.length) throw invalid("renditions: one rendition per quality");
  outcome.subtitles.forEach(checkSubtitle);
  return changeVideo(deps, videoId, async (tx, title, video) => {
    if (video.encodingJobId === outcome.encodingJobId) return [];
    await tx.recordEncoding(videoId, {
      ...outcome,
      renditions: outcome.renditions.map((r) => ({ ...r, id: randomUUID() })),
      audioTracks: outcome.audioTracks.map((a) => ({ ...a, id: randomUUID() })),
    });
    for (const s of outcome.subtitles) await tx.upsertSubtitle({ ...s, id: randomUUID(), videoId });
    const changed: TitleField[] = [videoField(title)];
    const titleFields: { thumbnailUrl?: string; durationMinutes?: number } = {};
    if (title.thumbnailUrl === "" && outcome.thumbnailUrl !== "") titleFields.thumbnailUrl = outcome.thumbnailUrl;
    if (title.type === ContentType.MOVIE && title.durationMinutes === 0) titleFields.durationMinutes = Math.max(1, Math.round(outcome.durationSeconds / 60));
    if (titleFields.thumbnailUrl !== undefined) changed.push("thumbnail_url");
    if (titleFields.durationMinutes !== undefined) changed.push("duration_minutes");
    if (changed.length > 1) await tx.updateTitle(title.id, titleFields);
    return changed;
  });
}

/**
 * Where an encoding job of the video stands: PROCESSING (a worker took it) or FAILED (for good).
 * A READY video keeps its status, since its renditions stay playable whatever a new source does;
 * the job whose renditions are recorded is not moved back by a late report. Unchanged: a no-op.
 */
export async function setEncodingStatus(deps: CatalogDeps, videoId: string, encodingJobId: string, status: VideoStatus.PROCESSING | VideoStatus.FAILED): Promise<Video> {
  return changeVideo(deps, videoId, async (tx, title, video) => {
    if (video.status === VideoStatus.READY || video.encodingJobId === encodingJobId || video.status === status) return [];
    await tx.setVideoStatus(videoId, status);
    return [videoField(title)];
  });
}

/** Adds a subtitle track, or replaces the one with the same language and closed-captions flag. */
export async function addSubtitle(deps: CatalogDeps, videoId: string, subtitle: SubtitleInput): Promise<SubtitleTrack> {
  checkSubtitle(subtitle);
  let stored!: SubtitleTrack;
  await changeVideo(deps, videoId, async (tx, title) => {
    stored = await tx.upsertSubtitle({ ...subtitle, id: randomUUID(), videoId });
    return [videoField(title)];
  });
  return stored;
}

/**
 * Runs a change to one video with its title locked; `fn` returns the Content fields it changed
 * (none: nothing happened, nothing announced). Returns the video as changed.
 */
async function changeVideo(deps: CatalogDeps, videoId: string, fn: (tx: CatalogWriter, title: Title, video: Video) => Promise<TitleField[]>): Promise<Video> {
  return changeTitle(deps, async (tx) => {
    const found = await tx.lockVideo(videoId);
    if (found === undefined) throw videoNotFound(videoId);
    const { title, video } = found;
    const changed = await fn(tx, title, video);
    if (changed.length === 0) return { contentId: title.id, value: video };
    const after = await announceUpdate(tx, title.id, changed);
    return { contentId: title.id, value: videoOf(after, videoId)! };
  });
}

/** Movies announce a change of their feature as `video`, shows as `episodes`. */
function videoField(title: Title): TitleField {
  return title.type === ContentType.MOVIE ? "video" : "episodes";
}

const LANGUAGE = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$/;

/** Subtitle messages carry no proto rules of their own: media is trusted, not unchecked. */
function checkSubtitle(s: SubtitleInput): void {
  if (!LANGUAGE.test(s.language) || s.language.length > 35) throw invalid(`subtitle.language ${JSON.stringify(s.language.slice(0, 40))} is not a BCP 47 tag`);
  if (s.label.length > 200) throw invalid("subtitle.label must be at most 200 characters");
  if (s.storageLocation === "" || s.storageLocation.length > 1024) throw invalid("subtitle.storage_location must be 1 to 1024 characters");
  if (s.format === SubtitleFormat.UNSPECIFIED) throw invalid("subtitle.format is required");
}
