import { externalIdKey, type BadRow, type ExternalIdRef, type SourcedTitle } from "./catalog-title.js";
import { LOOKUP_BATCH, type ExternalIdMatch } from "./catalog-port.js";

export interface ExistingTitle {
  /** The input's own object, so callers can key by it. */
  item: SourcedTitle;
  contentId: string;
}

export interface ImportPlan {
  /** Titles none of whose external ids the catalog knows, in input order. */
  toCreate: SourcedTitle[];
  /** Titles the catalog has already (by any of their external ids): skipped, but in the mapping. */
  existing: ExistingTitle[];
}

/**
 * What to create and what to skip: every external id of the input is looked up (in batches the
 * catalog accepts) and a title is skipped when any of its ids names a title already there. This
 * is what makes a second run of the same import create nothing.
 */
export async function planImport(
  titles: readonly SourcedTitle[],
  lookup: (ids: ExternalIdRef[]) => Promise<ExternalIdMatch[]>,
  batchSize = LOOKUP_BATCH,
): Promise<ImportPlan> {
  const ids = titles.flatMap((t) => t.title.externalIds);
  const known = new Map<string, string>();
  for (let i = 0; i < ids.length; i += batchSize) {
    for (const match of await lookup(ids.slice(i, i + batchSize))) known.set(externalIdKey(match.externalId), match.contentId);
  }
  const plan: ImportPlan = { toCreate: [], existing: [] };
  for (const t of titles) {
    const contentId = t.title.externalIds.map((id) => known.get(externalIdKey(id))).find((c) => c !== undefined);
    if (contentId === undefined) plan.toCreate.push(t);
    else plan.existing.push({ item: t, contentId });
  }
  return plan;
}

/**
 * The input's own repeats: a title sharing an external id with an earlier one (the same movie
 * twice in a file, or in two files of the directory) is a bad row naming the first; the first is kept.
 */
export function withoutRepeats(titles: readonly SourcedTitle[]): { titles: SourcedTitle[]; badRows: BadRow[] } {
  const firstSeen = new Map<string, SourcedTitle>();
  const kept: SourcedTitle[] = [];
  const badRows: BadRow[] = [];
  for (const t of titles) {
    const keys = t.title.externalIds.map(externalIdKey);
    const first = keys.map((k) => [k, firstSeen.get(k)] as const).find(([, seen]) => seen !== undefined);
    if (first !== undefined) {
      badRows.push({ file: t.file, line: t.line, reason: `external id ${first[0]} also on ${first[1]!.file}:${first[1]!.line}` });
      continue;
    }
    for (const k of keys) firstSeen.set(k, t);
    kept.push(t);
  }
  return { titles: kept, badRows };
}
