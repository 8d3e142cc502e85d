import { randomUUID } from "node:crypto";
import { Code, ConnectError } from "@connectrpc/connect";
import type { CatalogPort, ExternalIdMatch } from "../catalog-port.js";
import { externalIdKey, type CatalogTitle, type ExternalIdRef } from "../catalog-title.js";

interface Stored {
  title: CatalogTitle;
  published: boolean;
  seasons: number[];
  episodes: string[];
}

/**
 * The catalog port's promises kept in memory (tests only): external ids unique across titles
 * (ALREADY_EXISTS), at most 500 per lookup, drafts until published. `failOn` makes a named step
 * fail, to see the importer roll back.
 */
export class MemoryCatalog implements CatalogPort {
  readonly titles = new Map<string, Stored>();
  readonly lookups: number[] = [];
  failOn: ((step: string, title: CatalogTitle) => boolean) | undefined;

  async lookupExternalIds(ids: ExternalIdRef[]): Promise<ExternalIdMatch[]> {
    if (ids.length > 500) throw new ConnectError("at most 500 ids", Code.InvalidArgument);
    this.lookups.push(ids.length);
    const owner = this.owners();
    return ids.flatMap((id) => {
      const contentId = owner.get(externalIdKey(id));
      return contentId === undefined ? [] : [{ externalId: id, contentId }];
    });
  }

  async createTitle(title: CatalogTitle, publish: boolean): Promise<string> {
    this.maybeFail("create", title);
    const owner = this.owners();
    const taken = title.externalIds.find((id) => owner.has(externalIdKey(id)));
    if (taken) throw new ConnectError(`external id ${externalIdKey(taken)} belongs to ${owner.get(externalIdKey(taken))}`, Code.AlreadyExists);
    const id = randomUUID();
    this.titles.set(id, { title, published: publish, seasons: [], episodes: [] });
    return id;
  }

  async addSeason(contentId: string, season: { seasonNumber: number }): Promise<void> {
    const t = this.get(contentId);
    this.maybeFail(`season ${season.seasonNumber}`, t.title);
    t.seasons.push(season.seasonNumber);
  }

  async addEpisode(contentId: string, seasonNumber: number, episode: { episodeNumber: number }): Promise<void> {
    const t = this.get(contentId);
    this.maybeFail(`season ${seasonNumber} episode ${episode.episodeNumber}`, t.title);
    t.episodes.push(`${seasonNumber}x${episode.episodeNumber}`);
  }

  async publish(contentId: string): Promise<void> {
    const t = this.get(contentId);
    this.maybeFail("publish", t.title);
    t.published = true;
  }

  async deleteTitle(contentId: string): Promise<void> {
    this.maybeFail("delete", this.get(contentId).title);
    this.titles.delete(contentId);
  }

  private owners(): Map<string, string> {
    return new Map([...this.titles].flatMap(([id, t]) => t.title.externalIds.map((e) => [externalIdKey(e), id] as const)));
  }

  private get(contentId: string): Stored {
    const t = this.titles.get(contentId);
    if (t === undefined) throw new ConnectError(`no title ${contentId}`, Code.NotFound);
    return t;
  }

  private maybeFail(step: string, title: CatalogTitle): void {
    if (this.failOn?.(step, title)) throw new ConnectError(`${step} refused`, Code.Internal);
  }
}
