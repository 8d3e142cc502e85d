import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { GetHomeResponseSchema, HomeSection, type GetHomeResponse } from "../../gen/cinemesh/browse/v1/browse_pb.js";
import type { Kv } from "../../platform/storage/kv.js";

/** How long a profile's last good page is kept to stand in for a source that is down. */
const KEEP_MS = 7 * 24 * 3600_000;

/** The rows of the page each section fills. */
export type Rows = Partial<Pick<GetHomeResponse, "continueWatching" | "trending" | "recommendations" | "myList" | "categories" | "becauseYouWatched" | "newReleases">>;

/** Which rows of a page each section fills. */
export const ROWS_OF: Record<HomeSection, (page: Rows) => Rows> = {
  [HomeSection.UNSPECIFIED]: () => ({}),
  [HomeSection.CONTINUE_WATCHING]: (p) => ({ continueWatching: p.continueWatching }),
  [HomeSection.TRENDING]: (p) => ({ trending: p.trending }),
  [HomeSection.RECOMMENDATIONS]: (p) => ({ recommendations: p.recommendations }),
  [HomeSection.MY_LIST]: (p) => ({ myList: p.myList }),
  [HomeSection.CATEGORIES]: (p) => ({ categories: p.categories }),
  [HomeSection.BECAUSE_YOU_WATCHED]: (p) => ({ becauseYouWatched: p.becauseYouWatched }),
  [HomeSection.NEW_RELEASES]: (p) => ({ newReleases: p.newReleases }),
};

/** What is known of the page a profile was last shown, without the page itself. */
export interface CopyInfo {
  /** The profile's version when the page was assembled (its events bump the version). */
  version: number;
  /** Epoch ms its sources were asked. */
  at: number;
  /** Every source answered: the copy may be served as the page while it is fresh. */
  complete: boolean;
  limit: number;
  categoryCount: number;
}

/** The page a profile was last shown, as kv keeps it. */
export interface PageCopy extends CopyInfo {
  page: GetHomeResponse;
}

export interface ProfilePages {
  version: number;
  /** When the profile's last event came (epoch ms; 0: none). */
  changedAt: number;
  /** The last page's info; the page itself is read only when needed (`page`). */
  copy?: CopyInfo;
}

/**
 * Each profile's last home page in kv, and the profile's version counter. The profile's own events
 * (progress, My List, ratings) bump the counter, so a copy assembled before them is never served as
 * fresh again, while it still stands in, row by row, for a source that fails. The version is read
 * before the sources are asked, so a copy whose sources answered before an event is never taken as
 * newer than the event. The other services apply the same events on their own time, so a page
 * assembled within `settleMs` of the profile's last event is not served again as fresh: it may
 * predate, say, the recommendations a rating brings.
 *
 * Three kinds of keys, so that no page decodes or encodes more than it needs (a whole page is tens
 * of kB): the last complete page's info, the page itself (only served while fresh), and each of the
 * profile's own sections' last good rows (a few kB), which stand in for a source that fails and are
 * refreshed by whichever page or late answer brings them.
 */
export class PageCopies {
  constructor(
    private readonly kv: Kv,
    private readonly prefix: string,
    private readonly freshMs: number,
    private readonly settleMs: number,
  ) {}

  /** The profile's version, when its last event came, and what is known of its last page. */
  async read(profileId: string): Promise<ProfilePages> {
    // Pages never served from kv (BROWSE_HOME_TTL_SECONDS=0) need neither: none is ever fresh.
    if (this.freshMs === 0) return { version: 0, changedAt: 0 };
    const [version, changedAt, info] = await this.kv.mget([this.versionKey(profileId), this.changedAtKey(profileId), this.infoKey(profileId)]);
    return { version: Number(version ?? 0), changedAt: Number(changedAt ?? 0), copy: info === null ? undefined : (JSON.parse(info) as CopyInfo) };
  }

  /** The profile's last page; undefined when there is none (or it expired). */
  async page(profileId: string): Promise<GetHomeResponse | undefined> {
    const stored = await this.kv.get(this.pageKey(profileId));
    return stored === null ? undefined : fromBinary(GetHomeResponseSchema, Buffer.from(stored, "base64"));
  }

  /** The last good rows of `sections` (the profile's own), as far as they are kept. */
  async rows(profileId: string, sections: HomeSection[]): Promise<Rows> {
    if (sections.length === 0) return {};
    const stored = await this.kv.mget(sections.map((s) => this.rowsKey(profileId, s)));
    const rows: Rows = {};
    sections.forEach((section, i) => {
      const value = stored[i];
      if (value !== null && value !== undefined) Object.assign(rows, ROWS_OF[section](fromBinary(GetHomeResponseSchema, Buffer.from(value, "base64"))));
    });
    return rows;
  }

  /** Keeps the rows `sections` filled, each under its own key. */
  async keepRows(profileId: string, sections: HomeSection[], rows: Rows): Promise<void> {
    await Promise.all(
      sections.map((section) =>
        this.kv.set(this.rowsKey(profileId, section), Buffer.from(toBinary(GetHomeResponseSchema, create(GetHomeResponseSchema, ROWS_OF[section](rows)))).toString("base64"), { ttlMs: KEEP_MS }),
      ),
    );
  }

  /** True when the copy may be served as it is for a page of this shape. */
  isFresh(copy: CopyInfo, state: ProfilePages, shape: { limit: number; categoryCount: number }): boolean {
    return (
      copy.complete &&
      copy.version === state.version &&
      copy.at - state.changedAt >= this.settleMs &&
      Date.now() - copy.at < this.freshMs &&
      copy.limit === shape.limit &&
      copy.categoryCount === shape.categoryCount
    );
  }

  /**
   * Stores a complete page: its own sections' rows, then (when pages are served from kv at all)
   * the page, then its info, so a reader that finds the info finds this page or a newer one.
   */
  async write(profileId: string, copy: PageCopy, personal: HomeSection[]): Promise<void> {
    const { page, ...info } = copy;
    await this.keepRows(profileId, personal, page);
    if (this.freshMs === 0) return;
    await this.kv.set(this.pageKey(profileId), Buffer.from(toBinary(GetHomeResponseSchema, page)).toString("base64"), { ttlMs: KEEP_MS });
    await this.kv.set(this.infoKey(profileId), JSON.stringify(info), { ttlMs: KEEP_MS });
  }

  /** The profile did something its page shows: the next page is assembled afresh. */
  async changed(profileId: string): Promise<void> {
    if (this.freshMs === 0) return;
    await Promise.all([
      this.kv.incrBy(this.versionKey(profileId), 1, { ttlMs: KEEP_MS }),
      this.kv.set(this.changedAtKey(profileId), String(Date.now()), { ttlMs: KEEP_MS }),
    ]);
  }

  private versionKey(profileId: string): string {
    return `${this.prefix}version:${profileId}`;
  }

  private changedAtKey(profileId: string): string {
    return `${this.prefix}changed-at:${profileId}`;
  }

  private infoKey(profileId: string): string {
    return `${this.prefix}page-info:${profileId}`;
  }

  private rowsKey(profileId: string, section: HomeSection): string {
    return `${this.prefix}rows:${HomeSection[section]}:${profileId}`;
  }

  private pageKey(profileId: string): string {
    return `${this.prefix}page-body:${profileId}`;
  }
}
