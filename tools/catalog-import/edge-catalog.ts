import { setTimeout as sleep } from "node:timers/promises";
import { Code, ConnectError, createClient, type CallOptions, type Client } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { CatalogService } from "../../gen/cinemesh/catalog/v1/catalog_pb.js";
import { ContentStatus } from "../../gen/cinemesh/catalog/v1/catalog_types_pb.js";
import { ContentType, MaturityRating } from "../../gen/cinemesh/common/v1/enums_pb.js";
import { IdentityService } from "../../gen/cinemesh/identity/v1/identity_pb.js";
import type { AdminAuth } from "../cli/command-line.js";
import type { CatalogPort } from "./catalog-port.js";
import type { CatalogTitle } from "./catalog-title.js";

export interface EdgeCatalogOptions {
  /** Base URL of the edge gateway. */
  edge: string;
  auth: AdminAuth;
  /**
   * Waits before retrying a call the edge's rate limit refused (RESOURCE_EXHAUSTED, never seen by
   * the catalog, so safe to repeat); the edge's retry-after is used when shorter. Defaults to ten
   * waits of up to a minute, enough for the per-account limit's window to turn over.
   */
  rateLimitWaitsMs?: number[];
}

/**
 * The catalog through the edge, over Connect, as an admin. A token obtained by logging in is
 * renewed once when the edge answers UNAUTHENTICATED (access tokens live minutes; an import of
 * thousands of titles may outlast one).
 */
export function edgeCatalog(opts: EdgeCatalogOptions): CatalogPort {
  const transport = createConnectTransport({ baseUrl: opts.edge, httpVersion: "1.1" });
  const catalog = createClient(CatalogService, transport);
  const identity = createClient(IdentityService, transport);
  const waits = opts.rateLimitWaitsMs ?? Array.from({ length: 10 }, () => 60_000);
  let token: Promise<string> | undefined = "token" in opts.auth ? Promise.resolve(opts.auth.token) : undefined;
  const login = (): Promise<string> => {
    const { email, password } = opts.auth as { email: string; password: string };
    return identity.login({ email, password }).then((r) => r.token);
  };

  async function call<T>(rpc: (c: Client<typeof CatalogService>, o: CallOptions) => Promise<T>): Promise<T> {
    let renewed = false;
    for (let attempt = 0; ; attempt++) {
      token ??= login();
      const used = token;
      try {
        return await rpc(catalog, { headers: { authorization: `Bearer ${await used}` } });
      } catch (err) {
        const e = ConnectError.from(err);
        if (e.code === Code.Unauthenticated && !renewed && !("token" in opts.auth)) {
          renewed = true;
          if (token === used) token = login(); // one renewal shared by every call that saw the old token
          continue;
        }
        if (e.code === Code.ResourceExhausted && attempt < waits.length) {
          const retryAfter = Number(e.metadata.get("retry-after")) * 1000;
          await sleep(Number.isFinite(retryAfter) && retryAfter > 0 ? Math.min(retryAfter, waits[attempt]) : waits[attempt]);
          continue;
        }
        throw e;
      }
    }
  }

  return {
    async lookupExternalIds(externalIds) {
      const res = await call((c, o) => c.lookupExternalIds({ externalIds }, o));
      return res.matches.map((m) => ({ externalId: { source: m.externalId?.source ?? "", id: m.externalId?.id ?? "" }, contentId: m.contentId }));
    },
    async createTitle(title, publish) {
      return (await call((c, o) => c.createContent(createRequest(title, publish), o))).contentId;
    },
    async addSeason(contentId, s) {
      await call((c, o) => c.addSeason({ contentId, seasonNumber: s.seasonNumber, title: s.title, description: s.description, releaseYear: s.releaseYear }, o));
    },
    async addEpisode(contentId, seasonNumber, e) {
      await call((c, o) => c.addEpisode({ contentId, seasonNumber, episodeNumber: e.episodeNumber, title: e.title, description: e.description }, o));
    },
    async publish(contentId) {
      await call((c, o) => c.updateContent({ contentId, status: ContentStatus.PUBLISHED }, o));
    },
    async deleteTitle(contentId) {
      await call((c, o) => c.deleteContent({ contentId }, o));
    },
  };
}

/** Logs in and returns the access token (for callers that want to reuse one). */
export async function adminToken(edge: string, email: string, password: string): Promise<string> {
  const identity = createClient(IdentityService, createConnectTransport({ baseUrl: edge, httpVersion: "1.1" }));
  return (await identity.login({ email, password })).token;
}

function createRequest(t: CatalogTitle, publish: boolean) {
  return {
    title: t.title,
    originalTitle: t.originalTitle,
    description: t.description,
    type: ContentType[t.type],
    genres: t.genres,
    releaseYear: t.releaseYear,
    rating: MaturityRating[t.rating],
    language: t.language,
    cast: t.cast,
    director: t.director,
    keywords: t.keywords,
    externalIds: t.externalIds,
    durationMinutes: t.durationMinutes,
    thumbnailUrl: t.thumbnailUrl,
    publish,
  };
}
