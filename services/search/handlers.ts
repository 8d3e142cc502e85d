import { create } from "@bufbuild/protobuf";
import type { Client, ServiceImpl } from "@connectrpc/connect";
import { ContentStatus } from "../../gen/cinemesh/catalog/v1/catalog_types_pb.js";
import type { CatalogService } from "../../gen/cinemesh/catalog/v1/catalog_pb.js";
import { ContentType } from "../../gen/cinemesh/common/v1/enums_pb.js";
import { FacetSchema, SuggestionKind, type SearchService } from "../../gen/cinemesh/search/v1/search_pb.js";
import { capAge, maturityRating, stricterCap } from "../../platform/domain/maturity.js";
import { requireAdmin, requireCaller } from "../../platform/rpc/context.js";
import { limitOrDefault, pageWindow } from "../../platform/rpc/paging.js";
import { headerProfileCap, type ProfileCheck } from "../../platform/rpc/profile-access.js";
import { contentType, searchDocument } from "./documents.js";
import type { FacetField, SearchDocument, SearchIndex, Suggestion } from "./index.js";

export interface SearchDeps {
  index: SearchIndex;
  profiles: ProfileCheck;
  catalog: Client<typeof CatalogService>;
}

const FACET_ORDER: FacetField[] = ["genres", "type", "decade", "rating", "language"];
const SUGGESTION_KIND = { title: SuggestionKind.TITLE, person: SuggestionKind.PERSON, genre: SuggestionKind.GENRE } as const;
/** Titles per ListContent page while rebuilding (the RPC's maximum). */
const REINDEX_PAGE = 100;

export function searchHandlers(deps: SearchDeps): ServiceImpl<typeof SearchService> {
  let rebuilding: Promise<number> | undefined;
  return {
    async searchContent(req, ctx) {
      requireCaller(ctx);
      const window = pageWindow(req);
      // The request's own max_rating can only lower the profile's cap.
      const maxAge = capAge(stricterCap(await headerProfileCap(deps.profiles, ctx), req.maxRating || undefined));
      const page = await deps.index.search({
        text: req.query,
        filters: {
          genres: req.genres.length > 0 ? req.genres : undefined,
          type: req.type === ContentType.UNSPECIFIED ? undefined : req.type === ContentType.TV_SHOW ? "TV_SHOW" : "MOVIE",
          yearFrom: req.releaseYearFrom || undefined,
          yearTo: req.releaseYearTo || undefined,
          maxAge,
          language: req.language || undefined,
        },
        offset: window.offset,
        limit: window.limit,
      });
      return {
        results: page.hits.map((h) => ({
          contentId: h.contentId,
          title: h.title,
          thumbnailUrl: h.thumbnailUrl,
          type: contentType(h.type),
          rating: maturityRating(h.rating),
          releaseYear: h.releaseYear,
          score: h.score,
          genres: h.genres,
          averageRating: h.averageRating,
          highlight: h.highlight,
        })),
        totalCount: page.total,
        facets: FACET_ORDER.flatMap((field) => {
          const values = page.facets[field];
          return values && values.length > 0 ? [create(FacetSchema, { field, values })] : [];
        }),
      };
    },

    async autocomplete(req, ctx) {
      requireCaller(ctx);
      const suggestions = await deps.index.suggest({ prefix: req.prefix, limit: limitOrDefault(req.limit), maxAge: capAge(await headerProfileCap(deps.profiles, ctx)) });
      return { suggestions: suggestions.map(suggestionMessage) };
    },

    async reindex(_req, ctx) {
      requireAdmin(ctx);
      const started = Date.now();
      // One rebuild at a time: a second request while one runs waits for it and reports it.
      rebuilding ??= deps.index.rebuild(publishedTitles(deps.catalog)).finally(() => (rebuilding = undefined));
      const indexedCount = await rebuilding;
      return { indexedCount, tookMs: BigInt(Date.now() - started) };
    },
  };
}

function suggestionMessage(s: Suggestion) {
  return s.kind === "title"
    ? { kind: SUGGESTION_KIND.title, text: s.text, contentId: s.contentId, thumbnailUrl: s.thumbnailUrl }
    : { kind: SUGGESTION_KIND[s.kind], text: s.text, contentId: "", thumbnailUrl: "" };
}

/** Every published title, a page at a time, as the catalog lists it to the admin asking for the rebuild. */
async function* publishedTitles(catalog: Client<typeof CatalogService>): AsyncIterable<SearchDocument[]> {
  for (let page = 1; ; page++) {
    const { content } = await catalog.listContent({ page, limit: REINDEX_PAGE, status: ContentStatus.PUBLISHED });
    const docs = content.map(searchDocument).filter((d): d is SearchDocument => d !== undefined);
    if (docs.length > 0) yield docs;
    if (content.length < REINDEX_PAGE) return;
  }
}
