import type { Content } from "../../gen/cinemesh/catalog/v1/catalog_types_pb.js";
import type { MyListEntry } from "./store.js";

/** What the catalog says about a listed or watched title at read time. */
export type TitleCard = Content;

export interface MyListItemView extends MyListEntry {
  card: TitleCard;
}

/**
 * Joins the page's entries with the catalog's cards, in list order. An entry the catalog no longer
 * returns (removed or unpublished, before the ContentRemoved consumer got to it; or above the
 * profile's maturity cap) is left out rather than shown as a blank tile.
 */
export function withTitles(entries: readonly MyListEntry[], cards: readonly TitleCard[]): MyListItemView[] {
  const byId = new Map(cards.map((c) => [c.contentId, c]));
  return entries.flatMap((e) => {
    const card = byId.get(e.contentId);
    return card === undefined ? [] : [{ ...e, card }];
  });
}
