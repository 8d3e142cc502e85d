import { fromBinary, toBinary, type DescMessage, type MessageShape } from "@bufbuild/protobuf";
import type { Logger } from "pino";
import type { Kv } from "../../platform/storage/kv.js";

/** How much longer than fresh a stale copy is kept, to be served while a new one loads or when its source is down. */
const KEEP_STALE_FACTOR = 60;

/**
 * The rows every profile under the same cap shares (trending, new releases, genre rows), kept in
 * kv and served stale-while-revalidate: a fresh copy as is; a stale one at once while one load in
 * this process refreshes it; none, loaded now (concurrent callers share one load). A refresh that
 * fails keeps the stale copy, so a source that is down leaves its rows as they were. A fresh row is
 * also held decoded in this process, so a page reads kv only for rows another process may have
 * refreshed (a page holds some 30 shared rows: decoding them per page was most of its cost). The
 * rows held are read-only: pages copy what they cut.
 */
export class SharedRows {
  private readonly loading = new Map<string, Promise<unknown>>();
  /** Rows as last read or loaded here, by key: one per cap and row (a few hundred at most). */
  private readonly held = new Map<string, { at: number; row: unknown }>();

  constructor(
    private readonly kv: Kv,
    private readonly prefix: string,
    private readonly freshMs: number,
    private readonly log: Logger,
  ) {}

  async get<S extends DescMessage>(schema: S, key: string, load: () => Promise<MessageShape<S>>): Promise<MessageShape<S>> {
    const held = this.held.get(key);
    if (held !== undefined && Date.now() - held.at < this.freshMs) return held.row as MessageShape<S>;
    const stored = await this.read(schema, key);
    if (stored !== undefined) {
      this.held.set(key, stored);
      if (Date.now() - stored.at >= this.freshMs) {
        this.refresh(schema, key, load).catch((err: unknown) => this.log.warn({ err, key }, "shared row refresh failed; the stale copy stays"));
      }
      return stored.row;
    }
    return this.refresh(schema, key, load);
  }

  private refresh<S extends DescMessage>(schema: S, key: string, load: () => Promise<MessageShape<S>>): Promise<MessageShape<S>> {
    const running = this.loading.get(key) as Promise<MessageShape<S>> | undefined;
    if (running !== undefined) return running;
    const loaded = (async () => {
      const row = await load();
      this.held.set(key, { at: Date.now(), row });
      const encoded = `${Date.now()}:${Buffer.from(toBinary(schema, row)).toString("base64")}`;
      await this.kv.set(this.prefix + key, encoded, { ttlMs: this.freshMs * KEEP_STALE_FACTOR });
      return row;
    })().finally(() => this.loading.delete(key));
    this.loading.set(key, loaded);
    return loaded;
  }

  private async read<S extends DescMessage>(schema: S, key: string): Promise<{ at: number; row: MessageShape<S> } | undefined> {
    let value: string | null;
    try {
      value = await this.kv.get(this.prefix + key);
    } catch (err) {
      this.log.warn({ err, key }, "shared rows unreadable in kv; loading from the source");
      return undefined;
    }
    if (value === null) return undefined;
    const colon = value.indexOf(":");
    return { at: Number(value.slice(0, colon)), row: fromBinary(schema, Buffer.from(value.slice(colon + 1), "base64")) };
  }
}
