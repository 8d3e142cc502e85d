import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { GetHomeResponseSchema, type GetHomeResponse } from "../../gen/cinemesh/browse/v1/browse_pb.js";
import type { Kv } from "../../platform/storage/kv.js";

/** How long a profile's last good page is kept to stand in for a source that is down. */
const KEEP_MS = 7 * 24 * 3600_000;

/** The page a profile was last shown, as kv keeps it. */
export interface PageCopy {
  /** The profile's version when the page was assembled (its events bump the version). */
  version: number;
  /** Epoch ms its sources were asked. */
  at: number;
  /** Every source answered: the copy may be served as the page while it is fresh. */
  complete: boolean;
  limit: number;
  categoryCount: number;
  page: GetHomeResponse;
}

export interface ProfilePages {
  version: number;
  changedAt: number;
  copy?: PageCopy;
}

/**
 * Each profile's last home page in kv, and the profile's version counter. The profile's own events
 * (progress, My List, ratings) bump the counter, so a copy assembled before them is never served as
 * fresh again, while it still stands in, row by row, for a source that fails. The version is read
 * before the sources are asked, so a copy whose sources answered before an event is never taken as
 * newer than the event. The other services apply the same events on their own time, so a page
 * assembled within `settleMs` of the profile's last event is not served again as fresh: it may
 * predate, say, the recommendations a rating brings.
 */
export class PageCopies {
  constructor(
    private readonly kv: Kv,
    private readonly prefix: string,
    private readonly freshMs: number,
    private readonly settleMs: number,
  ) {}

  /** The profile's version, when its last event came (epoch ms, 0: none), and its last page. */
  async read(profileId: string): Promise<ProfilePages> {
    const [version, changedAt, stored] = await this.kv.mget([this.versionKey(profileId), this.changedAtKey(profileId), this.pageKey(profileId)]);
    return { version: Number(version ?? 0), changedAt: Number(changedAt ?? 0), copy: stored === null ? undefined : decode(stored) };
  }

  /** True when `copy` may be served as it is for a page of this shape. */
  isFresh(copy: PageCopy, state: ProfilePages, shape: { limit: number; categoryCount: number }): boolean {
    return (
      copy.complete &&
      copy.version === state.version &&
      copy.at - state.changedAt >= this.settleMs &&
      Date.now() - copy.at < this.freshMs &&
      copy.limit === shape.limit &&
      copy.categoryCount === shape.categoryCount
    );
  }

  async write(profileId: string, copy: PageCopy): Promise<void> {
    await this.kv.set(this.pageKey(profileId), encode(copy), { ttlMs: KEEP_MS });
  }

  /**
   * Rows some sources gave while others did not (or gave late): they replace those rows of the
   * stored copy, which is then no longer served as a page, only row by row as a stand-in.
   */
  async keep(profileId: string, rows: Partial<GetHomeResponse>): Promise<void> {
    const { copy } = await this.read(profileId);
    const page = copy?.page ?? create(GetHomeResponseSchema);
    Object.assign(page, rows);
    await this.write(profileId, { version: copy?.version ?? 0, at: copy?.at ?? 0, limit: copy?.limit ?? 0, categoryCount: copy?.categoryCount ?? 0, page, complete: false });
  }

  /** The profile did something its page shows: the next page is assembled afresh. */
  async changed(profileId: string): Promise<void> {
    await this.kv.incrBy(this.versionKey(profileId), 1, { ttlMs: KEEP_MS });
    await this.kv.set(this.changedAtKey(profileId), String(Date.now()), { ttlMs: KEEP_MS });
  }

  private changedAtKey(profileId: string): string {
    return `${this.prefix}changed-at:${profileId}`;
  }

  private versionKey(profileId: string): string {
    return `${this.prefix}version:${profileId}`;
  }

  private pageKey(profileId: string): string {
    return `${this.prefix}page:${profileId}`;
  }
}

function encode(copy: PageCopy): string {
  return JSON.stringify({ ...copy, page: Buffer.from(toBinary(GetHomeResponseSchema, copy.page)).toString("base64") });
}

function decode(stored: string): PageCopy {
  const raw = JSON.parse(stored) as Omit<PageCopy, "page"> & { page: string };
  return { ...raw, page: fromBinary(GetHomeResponseSchema, Buffer.from(raw.page, "base64")) };
}
