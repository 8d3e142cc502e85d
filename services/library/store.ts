/** One title in a profile's My List, as stored (titles and artwork come from the catalog). */
export interface MyListEntry {
  listId: string;
  profileId: string;
  contentId: string;
  addedAt: Date;
}

/**
 * Where My List lives. Each change is announced (MyListItemAdded / MyListItemRemoved) in the same
 * transaction as the change, so an event exists exactly when its change committed.
 */
export interface MyListStore {
  /** Adds the title unless the profile already has it (then nothing changes); resolves to whether it added. */
  add(profileId: string, contentId: string): Promise<boolean>;
  /** Removes the title if listed; resolves to whether it removed. */
  remove(profileId: string, contentId: string): Promise<boolean>;
  /** Entries newest first, skipping `offset`, at most `limit`, and how many the profile has in all. */
  page(profileId: string, offset: number, limit: number): Promise<{ entries: MyListEntry[]; total: number }>;
  /** Removes the title from every profile's list; resolves to how many entries went. */
  removeEverywhere(contentId: string): Promise<number>;
}
