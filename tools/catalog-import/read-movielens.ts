import { createReadStream } from "node:fs";
import path from "node:path";
import type { Readable } from "node:stream";
import type { BadRow, ExternalIdRef, SourcedTitle } from "./catalog-title.js";
import { titleProblems } from "./check-title.js";
import { csvRecords } from "./csv-records.js";
import {
  LINKS_HEADER,
  MOVIES_HEADER,
  parseLinkRow,
  parseMovieRow,
  parseTagRow,
  TAGS_HEADER,
  TagTally,
  withTagsAndLinks,
  type MovieDefaults,
  type MovieRow,
  type RowParse,
} from "./movielens-rows.js";

export interface ReadResult {
  titles: SourcedTitle[];
  badRows: BadRow[];
}

/** The input is not what it claims to be (a file without the MovieLens header): nothing of it is imported. */
export class InputFormatError extends Error {
  override name = "InputFormatError";
}

/** One MovieLens file: its name (for messages) and its bytes. */
export interface NamedStream {
  file: string;
  stream: Readable;
}

/**
 * A MovieLens directory's titles: movies.csv's rows with their keywords from tags.csv and their
 * IMDb/TMDB ids from links.csv (both optional). Rows that cannot become a title are reported with
 * their file and line and left out.
 */
export async function parseMovieLens(files: { movies: NamedStream; tags?: NamedStream; links?: NamedStream }, defaults: MovieDefaults): Promise<ReadResult> {
  const badRows: BadRow[] = [];
  const tally = new TagTally();
  if (files.tags) await eachRow(files.tags, TAGS_HEADER, parseTagRow, badRows, (row) => tally.add(row));
  const links = new Map<string, ExternalIdRef[]>();
  if (files.links) await eachRow(files.links, LINKS_HEADER, parseLinkRow, badRows, (row) => links.set(row.movieId, row.ids));

  const titles: SourcedTitle[] = [];
  const firstLine = new Map<string, number>();
  const file = files.movies.file;
  await eachRow(files.movies, MOVIES_HEADER, (fields) => parseMovieRow(fields, defaults), badRows, (movie: MovieRow, line) => {
    const earlier = firstLine.get(movie.movieId);
    if (earlier !== undefined) {
      badRows.push({ file, line, reason: `movieId ${movie.movieId} already on line ${earlier}` });
      return;
    }
    firstLine.set(movie.movieId, line);
    const title = withTagsAndLinks(movie, tally.keywordsOf(movie.movieId), links.get(movie.movieId) ?? []);
    const problems = titleProblems(title);
    if (problems.length > 0) badRows.push({ file, line, reason: problems.join("; ") });
    else titles.push({ file, line, title });
  });
  // csv-parse reports unreadable text as it parses, ahead of the records before it: report in line order.
  const fileOrder = [files.tags?.file, files.links?.file, file];
  badRows.sort((a, b) => fileOrder.indexOf(a.file) - fileOrder.indexOf(b.file) || a.line - b.line);
  return { titles, badRows };
}

/** parseMovieLens over `dir/movies.csv`, `dir/tags.csv` and `dir/links.csv`, the last two when present. */
export async function readMovieLensDir(dir: string, present: (name: string) => boolean, defaults: MovieDefaults): Promise<ReadResult> {
  const open = (name: string): NamedStream | undefined =>
    present(name) ? { file: path.join(dir, name), stream: createReadStream(path.join(dir, name)) } : undefined;
  const movies = open("movies.csv");
  if (movies === undefined) throw new InputFormatError(`${dir}: no movies.csv`);
  return parseMovieLens({ movies, tags: open("tags.csv"), links: open("links.csv") }, defaults);
}

/** Every row of a MovieLens CSV after its header (which must be `header`), parsed; bad rows go to `badRows` with their line. */
export async function eachRow<T>(
  input: NamedStream,
  header: string[],
  parseRow: (fields: string[]) => RowParse<T>,
  badRows: BadRow[],
  onRow: (value: T, line: number) => void,
): Promise<void> {
  let headerSeen = false;
  for await (const item of csvRecords(input.stream)) {
    if ("error" in item) {
      badRows.push({ file: input.file, line: item.line, reason: item.error });
      continue;
    }
    if (!headerSeen) {
      headerSeen = true;
      const got = item.fields.map((f) => f.trim());
      if (got.join(",") !== header.join(",")) throw new InputFormatError(`${input.file}: the header is ${JSON.stringify(got.join(","))}, expected ${JSON.stringify(header.join(","))}`);
      continue;
    }
    const parsed = parseRow(item.fields);
    if (parsed.ok) onRow(parsed.value, item.line);
    else badRows.push({ file: input.file, line: item.line, reason: parsed.reason });
  }
  if (!headerSeen) throw new InputFormatError(`${input.file}: empty, expected the header ${header.join(",")}`);
}
