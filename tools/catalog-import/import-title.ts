import { Code, ConnectError } from "@connectrpc/connect";
import type { CatalogPort } from "./catalog-port.js";
import type { CatalogTitle } from "./catalog-title.js";

export type TitleOutcome =
  | { kind: "created"; contentId: string }
  /** Another importer got there first (ALREADY_EXISTS on create). */
  | { kind: "existing"; contentId: string }
  /** `leftover` names a draft that could not be deleted again, for the admin to remove. */
  | { kind: "failed"; reason: string; leftover?: string };

/**
 * Creates one published title. A movie (or a show without seasons) is one call. A show is built
 * as a draft (create, seasons, episodes) and published last, so viewers never see it half-built;
 * if any step fails the draft is deleted again: a title is imported whole or not at all.
 */
export async function importTitle(catalog: CatalogPort, title: CatalogTitle): Promise<TitleOutcome> {
  const steps = title.seasons.length > 0;
  let contentId: string;
  try {
    contentId = await catalog.createTitle(title, !steps);
  } catch (err) {
    if (ConnectError.from(err).code === Code.AlreadyExists) return existingAfterRace(catalog, title, err);
    return { kind: "failed", reason: `create: ${messageOf(err)}` };
  }
  if (!steps) return { kind: "created", contentId };

  let step = "";
  try {
    for (const season of title.seasons) {
      step = `season ${season.seasonNumber}`;
      await catalog.addSeason(contentId, season);
      for (const episode of season.episodes) {
        step = `season ${season.seasonNumber} episode ${episode.episodeNumber}`;
        await catalog.addEpisode(contentId, season.seasonNumber, episode);
      }
    }
    step = "publish";
    await catalog.publish(contentId);
    return { kind: "created", contentId };
  } catch (err) {
    const reason = `${step}: ${messageOf(err)}`;
    try {
      await catalog.deleteTitle(contentId);
      return { kind: "failed", reason: `${reason} (the draft was deleted again)` };
    } catch (deleteErr) {
      return { kind: "failed", reason: `${reason}; deleting the draft ${contentId} failed too: ${messageOf(deleteErr)}`, leftover: contentId };
    }
  }
}

/** ALREADY_EXISTS: one of the ids was taken since the plan was made; the mapping still wants the title's id. */
async function existingAfterRace(catalog: CatalogPort, title: CatalogTitle, cause: unknown): Promise<TitleOutcome> {
  try {
    const [match] = await catalog.lookupExternalIds(title.externalIds);
    if (match !== undefined) return { kind: "existing", contentId: match.contentId };
    return { kind: "failed", reason: `create: ${messageOf(cause)}, yet no title has its external ids` };
  } catch (err) {
    return { kind: "failed", reason: `create: ${messageOf(cause)}; looking the title up failed: ${messageOf(err)}` };
  }
}

function messageOf(err: unknown): string {
  return err instanceof ConnectError ? `${Code[err.code]}: ${err.rawMessage}` : err instanceof Error ? err.message : String(err);
}
