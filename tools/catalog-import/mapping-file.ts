import { writeFile } from "node:fs/promises";
import type { ExternalIdRef } from "./catalog-title.js";
import { csvLine } from "./csv-write.js";

/** One external id of an imported (or already present) title and the catalog's id for it. */
export interface MappingEntry extends ExternalIdRef {
  contentId: string;
}

/**
 * Writes the mapping, one external id per row: CSV (`source,id,contentId`), or JSON Lines when the
 * file name ends in .jsonl. Written whole at the end, so a reader never sees half a file.
 */
export async function writeMapping(file: string, entries: readonly MappingEntry[]): Promise<void> {
  const text = file.endsWith(".jsonl")
    ? entries.map((e) => `${JSON.stringify({ source: e.source, id: e.id, contentId: e.contentId })}\n`).join("")
    : csvLine(["source", "id", "contentId"]) + entries.map((e) => csvLine([e.source, e.id, e.contentId])).join("");
  await writeFile(file, text);
}

/** The mapping file's base name; never read as input. */
export const MAPPING_BASENAME = "cinemesh-mapping";
