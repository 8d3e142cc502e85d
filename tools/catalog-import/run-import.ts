import { CLI_EXIT } from "../cli/command-line.js";
import path from "node:path";
import type { CatalogPort } from "./catalog-port.js";
import type { BadRow, CatalogTitle, Rating, SourcedTitle } from "./catalog-title.js";
import { importRatingsFile, type RatingsSummary } from "./import-ratings.js";
import { importTitle, type TitleOutcome } from "./import-title.js";
import { MAPPING_BASENAME, writeMapping, type MappingEntry } from "./mapping-file.js";
import type { MembersPort } from "./members-port.js";
import { planImport, withoutRepeats } from "./plan.js";
import { ImportProgress } from "./progress-bar.js";
import { readCatalogDir } from "./read-catalog.js";
import { eachConcurrently } from "./worker-pool.js";

export interface ImportIo {
  /** Progress bar, bad rows and failures. */
  stderr: NodeJS.WritableStream;
  /** Aborting stops starting new titles; those under way finish (or are rolled back). */
  signal?: AbortSignal;
}

export interface ImportSummary {
  /** Titles created by this run. */
  created: number;
  /** Titles the catalog had already (by external id): skipped. */
  existing: number;
  badRows: BadRow[];
  failed: Array<SourcedTitle & { reason: string; leftover?: string }>;
  /** External id → content id of every title created or found, in input order. */
  mapping: MappingEntry[];
  /** Titles left unstarted because the run was interrupted. */
  notStarted: number;
}

export interface ImportTitlesOptions {
  concurrency: number;
}

/**
 * Plans and creates: skips the titles whose external ids the catalog knows, creates the others
 * `concurrency` at a time with a progress bar, and sums up. Bad rows (already found by the reader)
 * pass through to the summary.
 */
export async function importSourcedTitles(input: readonly SourcedTitle[], catalog: CatalogPort, opts: ImportTitlesOptions, io: ImportIo, badRows: BadRow[] = []): Promise<ImportSummary> {
  const unique = withoutRepeats(input);
  const plan = await planImport(unique.titles, (ids) => catalog.lookupExternalIds(ids));
  const summary: ImportSummary = { created: 0, existing: plan.existing.length, badRows: [...badRows, ...unique.badRows], failed: [], mapping: [], notStarted: 0 };
  const contentIds = new Map<SourcedTitle, string>(plan.existing.map((e) => [e.item, e.contentId]));

  const progress = plan.toCreate.length > 0 ? new ImportProgress(plan.toCreate.length, io.stderr) : undefined;
  let done = 0;
  try {
    await eachConcurrently(
      plan.toCreate,
      opts.concurrency,
      async (t) => {
        const outcome: TitleOutcome = await importTitle(catalog, t.title);
        done++;
        if (outcome.kind === "failed") {
          summary.failed.push({ ...t, reason: outcome.reason, ...(outcome.leftover ? { leftover: outcome.leftover } : {}) });
          progress?.log(`${t.file}:${t.line}: ${JSON.stringify(t.title.title)} failed: ${outcome.reason}`);
        } else {
          contentIds.set(t, outcome.contentId);
          summary[outcome.kind === "created" ? "created" : "existing"]++;
        }
        progress?.update(done, { created: summary.created, existing: summary.existing, failed: summary.failed.length });
      },
      io.signal,
    );
  } finally {
    progress?.stop();
  }
  summary.notStarted = plan.toCreate.length - done;
  summary.failed.sort((a, b) => (a.file === b.file ? a.line - b.line : a.file < b.file ? -1 : 1));
  for (const t of unique.titles) {
    const contentId = contentIds.get(t);
    if (contentId !== undefined) summary.mapping.push(...t.title.externalIds.map((id) => ({ ...id, contentId })));
  }
  return summary;
}

/** In-memory titles (a generated catalog) through the same path: the benchmark's and tests' entry. */
export function importTitles(titles: readonly CatalogTitle[], catalog: CatalogPort, opts: ImportTitlesOptions, io: ImportIo): Promise<ImportSummary> {
  return importSourcedTitles(titles.map((title, i) => ({ file: "(memory)", line: i + 1, title })), catalog, opts, io);
}

export interface ImportDirectoryOptions extends ImportTitlesOptions {
  dir: string;
  /** Only the first N titles of the input (after bad rows are set aside). */
  limit?: number;
  /** Where the mapping goes; DIR/cinemesh-mapping.csv (or .jsonl for a JSON Lines input) by default. */
  mappingFile?: string;
  /** For rows that carry no age rating (every MovieLens row). */
  defaultRating: Rating;
  /** With these, DIR/ratings.csv follows the titles (import-ratings.ts). */
  ratings?: { password: string; emailDomain: string; members: MembersPort };
}

/** Reads DIR, imports it, writes the mapping file; resolves to the summary and where the mapping went. */
export async function importDirectory(opts: ImportDirectoryOptions, catalog: CatalogPort, io: ImportIo): Promise<ImportSummary & { mappingFile: string; ratings?: RatingsSummary }> {
  const read = await readCatalogDir(opts.dir, { rating: opts.defaultRating, exclude: opts.mappingFile ? [opts.mappingFile] : [] });
  for (const bad of read.badRows) io.stderr.write(`${bad.file}:${bad.line}: skipped: ${bad.reason}\n`);
  const titles = opts.limit === undefined ? read.titles : read.titles.slice(0, opts.limit);
  const summary = await importSourcedTitles(titles, catalog, opts, io, read.badRows);
  for (const bad of summary.badRows.slice(read.badRows.length)) io.stderr.write(`${bad.file}:${bad.line}: skipped: ${bad.reason}\n`);
  const mappingFile = opts.mappingFile ?? path.join(opts.dir, `${MAPPING_BASENAME}.${read.formats.includes("movielens") ? "csv" : "jsonl"}`);
  let ratings: RatingsSummary | undefined;
  if (read.hasRatings && opts.ratings === undefined) io.stderr.write(`${path.join(opts.dir, "ratings.csv")}: not imported: give --password to sign its users up and import their ratings\n`);
  if (read.hasRatings && opts.ratings !== undefined && !io.signal?.aborted) {
    const contentIdOf = new Map(summary.mapping.filter((m) => m.source === "movielens").map((m) => [m.id, m.contentId]));
    ratings = await importRatingsFile({ dir: opts.dir, ...opts.ratings, concurrency: opts.concurrency }, contentIdOf, opts.ratings.members, io);
    for (const bad of ratings.badRows) io.stderr.write(`${bad.file}:${bad.line}: skipped: ${bad.reason}\n`);
    summary.badRows.push(...ratings.badRows);
  }
  await writeMapping(mappingFile, summary.mapping, ratings?.members);
  return { ...summary, ratings, mappingFile };
}

export const EXIT = { ...CLI_EXIT, badRows: 3 } as const;

/** 1 when a title or a user failed, 130 when interrupted, 3 when only bad rows were skipped, else 0. */
export function exitCodeOf(s: ImportSummary & { ratings?: RatingsSummary }): number {
  if (s.failed.length > 0 || (s.ratings?.failedMembers.length ?? 0) > 0) return EXIT.failed;
  if (s.notStarted > 0) return EXIT.interrupted;
  if (s.badRows.length > 0) return EXIT.badRows;
  return EXIT.ok;
}

/** The closing lines: what was done, and what to do about what was not. */
export function summaryText(s: ImportSummary & { mappingFile?: string; ratings?: RatingsSummary }): string {
  const lines: string[] = [];
  if (s.created === 0 && s.failed.length === 0 && s.notStarted === 0) {
    lines.push(`nothing to create: all ${s.existing} titles are already in the catalog${s.badRows.length > 0 ? ` (${s.badRows.length} bad rows skipped)` : ""}`);
  } else {
    lines.push(`created ${s.created}, already there ${s.existing}, bad rows ${s.badRows.length}, failed ${s.failed.length}${s.notStarted > 0 ? `, interrupted before ${s.notStarted} (run again to go on)` : ""}`);
  }
  for (const f of s.failed) lines.push(`failed: ${f.file}:${f.line} ${JSON.stringify(f.title.title)}: ${f.reason}`);
  const leftovers = s.failed.flatMap((f) => (f.leftover ? [f.leftover] : []));
  if (leftovers.length > 0) lines.push(`drafts left behind (delete them: DELETE /api/v1/admin/content/{id}): ${leftovers.join(", ")}`);
  const r = s.ratings;
  if (r) {
    lines.push(`users: created ${r.membersCreated}, already there ${r.membersExisting}, failed ${r.failedMembers.length}`);
    lines.push(`ratings: imported ${r.imported}, unchanged ${r.unchanged}, of titles not imported ${r.unknownTitles}, bad rows ${r.badRows.length}`);
    for (const f of r.failedMembers) lines.push(`failed: user ${f.userId}: ${f.reason}`);
  }
  if (s.mappingFile) lines.push(`mapping: ${s.mappingFile} (${s.mapping.length} external ids${r ? `, ${r.members.size} users` : ""})`);
  return `${lines.join("\n")}\n`;
}
