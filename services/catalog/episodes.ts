import { randomUUID } from "node:crypto";
import { announceUpdate, changeTitle } from "./change.js";
import { alreadyExists, contentNotFound, precondition } from "./errors.js";
import { ContentType, type Season, type Title, type TitleField, type Video } from "./model.js";
import type { CatalogDeps } from "./deps.js";
import type { CatalogWriter } from "./store.js";

export interface SeasonInput {
  number: number;
  title: string;
  description: string;
  /** 0 when unknown. */
  releaseYear: number;
}

export interface EpisodeInput {
  seasonNumber: number;
  episodeNumber: number;
  title: string;
  description: string;
}

/** Adds a season to a TV show; a season number is used once per show. */
export async function addSeason(deps: CatalogDeps, contentId: string, input: SeasonInput): Promise<Season> {
  return changeTitle(deps, async (tx) => {
    await lockShow(tx, contentId);
    if (!(await tx.insertSeason({ id: randomUUID(), contentId, ...input }))) {
      throw alreadyExists(`season ${input.number} of content ${contentId} already exists`);
    }
    const title = await announceUpdate(tx, contentId, ["seasons"]);
    return { contentId, value: title.seasons.find((s) => s.number === input.number)! };
  });
}

/** Adds an episode (a video awaiting upload) to a TV show, creating its season when missing. */
export async function addEpisode(deps: CatalogDeps, contentId: string, input: EpisodeInput): Promise<Video> {
  return changeTitle(deps, async (tx) => {
    await lockShow(tx, contentId);
    const { video } = await insertEpisode(tx, contentId, input, () => {
      throw alreadyExists(`episode ${input.episodeNumber} of season ${input.seasonNumber} of content ${contentId} already exists`);
    });
    return { contentId, value: video };
  });
}

/** A slot of a title: the movie's feature (no numbers), or a show's (season, episode). */
export interface VideoSlot {
  seasonNumber?: number;
  episodeNumber?: number;
  /** Title of a new episode; the content's title when empty. */
  title: string;
}

/**
 * The video in a slot, created when missing (media calls this when an upload starts). Idempotent:
 * asking again returns the same video with `created` false.
 */
export async function ensureVideo(deps: CatalogDeps, contentId: string, slot: VideoSlot): Promise<{ video: Video; created: boolean }> {
  return changeTitle<{ video: Video; created: boolean }>(deps, async (tx) => {
    const title = await tx.lockTitle(contentId);
    if (title === undefined) throw contentNotFound(contentId);
    const existing = findSlot(title, slot);
    if (existing !== undefined) return { contentId, value: { video: existing, created: false } };
    if (title.type === ContentType.MOVIE) {
      if (slot.seasonNumber !== undefined) throw precondition(`content ${contentId} is a movie: it has no seasons or episodes`);
      await tx.insertVideo({ id: randomUUID(), contentId, title: title.title, description: title.description });
      const after = await announceUpdate(tx, contentId, ["video"]);
      return { contentId, value: { video: after.feature!, created: true } };
    }
    if (slot.seasonNumber === undefined || slot.episodeNumber === undefined) {
      throw precondition(`content ${contentId} is a TV show: name the season and episode`);
    }
    const input = { seasonNumber: slot.seasonNumber, episodeNumber: slot.episodeNumber, title: slot.title || title.title, description: "" };
    const { video } = await insertEpisode(tx, contentId, input, () => {
      throw new Error(`episode slot of content ${contentId} taken while locked`);
    });
    return { contentId, value: { video, created: true } };
  });
}

async function lockShow(tx: CatalogWriter, contentId: string): Promise<Title> {
  const title = await tx.lockTitle(contentId);
  if (title === undefined) throw contentNotFound(contentId);
  if (title.type !== ContentType.TV_SHOW) throw precondition(`content ${contentId} is a movie: only TV shows have seasons and episodes`);
  return title;
}

/** Inserts an episode (and its season when missing) into a locked show and announces it. */
async function insertEpisode(tx: CatalogWriter, contentId: string, input: EpisodeInput, onTaken: () => never): Promise<{ title: Title; video: Video }> {
  const seasonCreated = await tx.insertSeason({ id: randomUUID(), contentId, number: input.seasonNumber, title: "", description: "", releaseYear: 0 });
  const id = randomUUID();
  if (!(await tx.insertVideo({ id, contentId, ...input }))) onTaken();
  const changed: TitleField[] = seasonCreated ? ["seasons", "episodes"] : ["episodes"];
  const title = await announceUpdate(tx, contentId, changed);
  return { title, video: title.episodes.find((v) => v.id === id)! };
}

function findSlot(title: Title, slot: VideoSlot): Video | undefined {
  if (slot.seasonNumber === undefined) return title.feature;
  return title.episodes.find((v) => v.seasonNumber === slot.seasonNumber && v.episodeNumber === slot.episodeNumber);
}
