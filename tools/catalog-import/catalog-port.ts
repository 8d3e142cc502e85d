import type { CatalogEpisode, CatalogSeason, CatalogTitle, ExternalIdRef } from "./catalog-title.js";

export interface ExternalIdMatch {
  externalId: ExternalIdRef;
  contentId: string;
}

/**
 * What the importer asks of the catalog (as an admin, through the edge). One implementation
 * speaks Connect to the edge (edge-catalog.ts); tests give the planner and the importer their own.
 * Calls throw ConnectError with the catalog's code (ALREADY_EXISTS when an external id is taken).
 */
export interface CatalogPort {
  /** At most LOOKUP_BATCH ids per call; the ids that name a title (drafts too). */
  lookupExternalIds(ids: ExternalIdRef[]): Promise<ExternalIdMatch[]>;
  /** Creates the title without its seasons; published now, or left a draft. Resolves to its content id. */
  createTitle(title: CatalogTitle, publish: boolean): Promise<string>;
  addSeason(contentId: string, season: CatalogSeason): Promise<void>;
  addEpisode(contentId: string, seasonNumber: number, episode: CatalogEpisode): Promise<void>;
  publish(contentId: string): Promise<void>;
  deleteTitle(contentId: string): Promise<void>;
}

/** LookupExternalIdsRequest's cap. */
export const LOOKUP_BATCH = 500;
