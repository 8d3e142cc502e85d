import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, type Client, type ServiceImpl } from "@connectrpc/connect";
import type { CatalogService } from "../../gen/cinemesh/catalog/v1/catalog_pb.js";
import type { LibraryService } from "../../gen/cinemesh/library/v1/library_pb.js";
import { PROFILE_ID_HEADER } from "../../platform/rpc/context.js";
import type { ProfileCheck } from "../../platform/rpc/profile-access.js";
import { contentCard } from "../../platform/rpc/content-card.js";
import { pageWindow } from "../../platform/rpc/paging.js";
import { withTitles } from "./my-list.js";
import type { MyListStore } from "./store.js";

export interface MyListDeps {
  store: MyListStore;
  /** Confirms the path's profile is the caller's (identity, remembered in kv). */
  profiles: ProfileCheck;
  catalog: Client<typeof CatalogService>;
}

type MyListRpcs = Pick<ServiceImpl<typeof LibraryService>, "addToMyList" | "removeFromMyList" | "getMyList">;

/** My List RPCs. Every one acts on the path's profile, which must belong to the caller. */
export function myListHandlers(deps: MyListDeps): MyListRpcs {
  const { store, profiles, catalog } = deps;
  // Catalog answers for the list's profile (maturity cap), whatever Profile-Id the caller sent.
  const asProfile = (profileId: string) => ({ headers: { [PROFILE_ID_HEADER]: profileId } });

  return {
    async addToMyList(req, ctx) {
      await profiles(ctx, req.profileId);
      try {
        await catalog.getContent({ contentId: req.contentId }, asProfile(req.profileId));
      } catch (err) {
        if (ConnectError.from(err).code === Code.NotFound) throw new ConnectError(`content ${req.contentId} not found`, Code.NotFound);
        throw err;
      }
      await store.add(req.profileId, req.contentId);
      return { success: true };
    },

    async removeFromMyList(req, ctx) {
      await profiles(ctx, req.profileId);
      await store.remove(req.profileId, req.contentId);
      return { success: true };
    },

    async getMyList(req, ctx) {
      await profiles(ctx, req.profileId);
      const window = pageWindow(req);
      const { entries, total } = await store.page(req.profileId, window.offset, window.limit);
      if (entries.length === 0) return { content: [], totalCount: total };
      const { contents } = await catalog.batchGetContent({ contentIds: entries.map((e) => e.contentId) }, asProfile(req.profileId));
      const items = withTitles(entries, contents);
      return {
        content: items.map((i) => ({ listId: i.listId, contentId: i.contentId, title: i.card.title, thumbnailUrl: i.card.thumbnailUrl, addedAt: timestampFromDate(i.addedAt), content: contentCard(i.card) })),
        totalCount: total,
      };
    },
  };
}
