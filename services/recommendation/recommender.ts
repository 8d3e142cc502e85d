import type { Logger } from "pino";
import type { Kv } from "../../platform/storage/kv.js";
import { buildModel, type Model } from "./ranking/model.js";
import { becauseYouWatched, recommend, similarTitles, type Ranked } from "./ranking/recommend.js";
import type { SignalStore, TitleCard } from "./store.js";

/** Titles kept per profile list: five pages of the default size. */
export const LIST_LENGTH = 100;
/** "Because you watched" rows kept per profile, and titles per row. */
export const BECAUSE_ROWS = 10;
export const BECAUSE_LENGTH = 50;
/** A profile's lists are kept this long unread; a new signal or model recomputes them sooner. */
const LISTS_TTL_MS = 24 * 3600_000;
/** A profile's lists are recomputed this soon after a completion, a rating or a My List change. */
const REFRESH_DEBOUNCE_MS = 250;
/** …and within this long of progress, which only moves a preference at a few thresholds. */
export const PROGRESS_REFRESH_MS = 30_000;
/** A rebuild follows the catalog's last change by this long, so an import of thousands rebuilds once. */
const CATALOG_SETTLE_MS = 3_000;

/** One of a profile's precomputed lists, as kept in kv (each its own key, so a read parses only what it serves). */
export interface KeptList<T> {
  /** The model it was computed with; another model recomputes it. */
  modelVersion: number;
  /** Who it was computed for; a changed cap or language recomputes it. */
  audience: Audience;
  items: T[];
}

/** What of the profile itself shapes its lists: its cap (the youngest age it allows, null: none) and language. */
export interface Audience {
  maxAge: number | null;
  language: string;
}

const sameAudience = (a: Audience, b: Audience) => a.maxAge === b.maxAge && a.language === b.language;

export type BecauseRow = { sourceId: string; items: Ranked[] };

/** The lists kept per profile: its recommendations and its "because you watched" rows. */
export interface ProfileLists {
  recommendations: Ranked[];
  because: BecauseRow[];
}

type ListName = keyof ProfileLists;

/**
 * The model and the lists served from it. The model (similar titles and popularity for the whole
 * catalog) lives in memory and is rebuilt periodically, on the admin RPC, and soon after the
 * catalog changes. Each profile's lists are computed from the model and the profile's own signals,
 * kept in kv, and recomputed within a moment of the profile's new signals.
 */
export class Recommender {
  private current: { model: Model; version: number } = { model: buildModel([], []), version: 0 };
  /** Cards of the published titles, which lists are hydrated from; kept up to date by titleChanged. */
  private cards = new Map<string, TitleCard>();
  /** Titles changed while a rebuild read the catalog: read again once it is done. */
  private changedDuringBuild?: Set<string>;
  private rebuilding?: Promise<{ titleCount: number; interactionCount: number }>;
  private queued?: Promise<{ titleCount: number; interactionCount: number }>;
  private interval?: NodeJS.Timeout;
  private readonly pending = new Map<string, { timer: NodeJS.Timeout; due: number }>();
  private catalogTimer?: NodeJS.Timeout;

  constructor(private readonly deps: { store: SignalStore; kv: Kv; kvPrefix: string; logger: Logger }) {}

  get model(): Model {
    return this.current.model;
  }

  /**
   * Rebuilds from what is stored now. A call while a rebuild runs gets the next one, which starts
   * when it ends (one queued at most), since the running one may have read the store before the
   * change that prompted the call.
   */
  rebuild(): Promise<{ titleCount: number; interactionCount: number }> {
    if (this.rebuilding !== undefined) {
      this.queued ??= this.rebuilding.catch(() => {}).then(() => {
        this.queued = undefined;
        return this.rebuild();
      });
      return this.queued;
    }
    this.rebuilding = this.build().finally(() => (this.rebuilding = undefined));
    return this.rebuilding;
  }

  /** Rebuilds every `intervalMs` until stopped. */
  every(intervalMs: number): void {
    clearInterval(this.interval);
    this.interval = setInterval(() => this.rebuildInBackground(), intervalMs);
    this.interval.unref();
  }

  /** The card of a published title; undefined once it is removed or back in draft. */
  card(contentId: string): TitleCard | undefined {
    return this.cards.get(contentId);
  }

  /**
   * The catalog changed a title (its event is stored): its card follows at once, and the model is
   * rebuilt once the catalog has been quiet for a moment. The card is read back from the store,
   * which keeps the newest version whatever order the events came in.
   */
  async titleChanged(contentId: string): Promise<void> {
    this.changedDuringBuild?.add(contentId);
    await this.reloadCards([contentId]);
    this.catalogChanged();
  }

  private async reloadCards(contentIds: string[]): Promise<void> {
    const fresh = await this.deps.store.cards(contentIds);
    for (const id of contentIds) {
      const card = fresh.get(id);
      if (card === undefined) this.cards.delete(id);
      else this.cards.set(id, card);
    }
  }

  /** Rebuild once the catalog has been quiet for a moment. */
  private catalogChanged(): void {
    clearTimeout(this.catalogTimer);
    this.catalogTimer = setTimeout(() => this.rebuildInBackground(), CATALOG_SETTLE_MS);
    this.catalogTimer.unref();
  }

  private rebuildInBackground(): void {
    this.rebuild().catch((err: unknown) => this.deps.logger.error({ err }, "recommendation model rebuild failed"));
  }

  /**
   * A profile's signals changed: recompute its lists within `withinMs`, if it has any. Changes
   * that come while one is due are folded into it (a sooner one brings it forward), so a player
   * reporting progress every few seconds costs one recompute per window, not one per report.
   */
  tasteChanged(profileId: string, withinMs = REFRESH_DEBOUNCE_MS): void {
    const due = Date.now() + withinMs;
    const pending = this.pending.get(profileId);
    if (pending !== undefined && pending.due <= due) return;
    clearTimeout(pending?.timer);
    const timer = setTimeout(() => {
      this.pending.delete(profileId);
      void this.refresh(profileId).catch((err: unknown) => this.deps.logger.error({ err, profileId }, "recomputing a profile's recommendations failed"));
    }, withinMs);
    timer.unref();
    this.pending.set(profileId, { timer, due });
  }

  /** The profile's recommendations for its cap: from kv when current, else computed (with its other lists) and kept. */
  async recommendationsOf(profileId: string, audience: Audience): Promise<KeptList<Ranked>> {
    return this.listOf(profileId, audience, "recommendations");
  }

  /** The profile's "because you watched" rows for its cap, likewise. */
  async becauseOf(profileId: string, audience: Audience): Promise<KeptList<BecauseRow>> {
    return this.listOf(profileId, audience, "because");
  }

  private async listOf<N extends ListName>(profileId: string, audience: Audience, name: N): Promise<KeptList<ProfileLists[N][number]>> {
    const cached = await this.deps.kv.get(this.key(profileId, name));
    if (cached !== null) {
      const list = JSON.parse(cached) as KeptList<ProfileLists[N][number]>;
      if (list.modelVersion === this.current.version && sameAudience(list.audience, audience)) return list;
    }
    const computed = await this.compute(profileId, audience);
    return { modelVersion: computed.modelVersion, audience, items: computed.lists[name] as ProfileLists[N][number][] };
  }

  /** "More like this". */
  similar(contentId: string, maxAge: number | undefined, limit: number): Ranked[] {
    return similarTitles(this.current.model, contentId, maxAge, limit);
  }

  stop(): void {
    clearInterval(this.interval);
    for (const p of this.pending.values()) clearTimeout(p.timer);
    clearTimeout(this.catalogTimer);
  }

  private async refresh(profileId: string): Promise<void> {
    const cached = await this.deps.kv.get(this.key(profileId, "recommendations"));
    // Nobody asked for this profile's lists yet (or they expired): they are computed when asked.
    if (cached === null) return;
    const { audience } = JSON.parse(cached) as KeptList<Ranked>;
    await this.compute(profileId, audience);
  }

  private async compute(profileId: string, audience: Audience): Promise<{ modelVersion: number; lists: ProfileLists }> {
    const { model, version } = this.current;
    const taste = { interactions: await this.deps.store.tasteOf(profileId, new Date()), maxAge: audience.maxAge ?? undefined, language: audience.language || undefined };
    const lists: ProfileLists = {
      recommendations: recommend(model, taste, LIST_LENGTH),
      because: becauseYouWatched(model, taste, BECAUSE_ROWS, BECAUSE_LENGTH),
    };
    const keep = (name: ListName) => {
      const kept: KeptList<unknown> = { modelVersion: version, audience, items: lists[name] };
      return this.deps.kv.set(this.key(profileId, name), JSON.stringify(kept), { ttlMs: LISTS_TTL_MS });
    };
    await Promise.all([keep("recommendations"), keep("because")]);
    return { modelVersion: version, lists };
  }

  private async build(): Promise<{ titleCount: number; interactionCount: number }> {
    const started = Date.now();
    this.changedDuringBuild = new Set();
    const [titles, interactions] = await Promise.all([this.deps.store.publishedTitles(), this.deps.store.allInteractions(new Date())]);
    const model = buildModel(
      titles.map((t) => t.features),
      interactions,
    );
    // Versions only go up, so lists computed with an older model are recomputed on their next read.
    this.current = { model, version: Math.max(Date.now(), this.current.version + 1) };
    this.cards = new Map(titles.map((t) => [t.features.contentId, t.card]));
    const changed = [...this.changedDuringBuild];
    this.changedDuringBuild = undefined;
    if (changed.length > 0) await this.reloadCards(changed);
    this.deps.logger.info({ titles: titles.length, interactions: interactions.length, tookMs: Date.now() - started }, "recommendation model rebuilt");
    return { titleCount: titles.length, interactionCount: interactions.length };
  }

  private key(profileId: string, name: ListName): string {
    return `${this.deps.kvPrefix}recommendation:${name}:${profileId}`;
  }
}
