import { writeFile } from "node:fs/promises";
import type { ExternalIdRef } from "./catalog-title.js";
import { csvLine } from "./csv-write.js";
import type { Member } from "./members-port.js";

/** One external id of an imported (or already present) title and the catalog's id for it. */
export interface MappingEntry extends ExternalIdRef {
  contentId: string;
}

/** The source of a ratings.csv user's rows in the mapping. */
export const USER_SOURCE = "movielens-user";

/**
 * Writes the mapping: a row per external id of a title (`source,id,contentId`), then a row per
 * imported user (`movielens-user,<userId>,,email,profileId`); CSV with the header
 * `source,id,contentId,email,profileId`, or JSON Lines when the file name ends in .jsonl. Written
 * whole at the end, so a reader never sees half a file.
 */
export async function writeMapping(file: string, entries: readonly MappingEntry[], members: ReadonlyMap<string, Member> = new Map()): Promise<void> {
  const users = [...members].map(([id, m]) => ({ source: USER_SOURCE, id, email: m.email, profileId: m.profileId }));
  const text = file.endsWith(".jsonl")
    ? [...entries.map((e) => ({ source: e.source, id: e.id, contentId: e.contentId })), ...users].map((row) => `${JSON.stringify(row)}\n`).join("")
    : csvLine(["source", "id", "contentId", "email", "profileId"]) +
      entries.map((e) => csvLine([e.source, e.id, e.contentId, "", ""])).join("") +
      users.map((u) => csvLine([u.source, u.id, "", u.email, u.profileId])).join("");
  await writeFile(file, text);
}

/** The mapping file's base name; never read as input. */
export const MAPPING_BASENAME = "cinemesh-mapping";
