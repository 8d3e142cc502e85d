import type { Readable } from "node:stream";
import { parse } from "csv-parse";

/** A record, or a stretch of text that is not valid CSV, with the line it starts on (1-based). */
export type CsvItem = { line: number; fields: string[] } | { line: number; error: string };

/**
 * RFC 4180 records from a stream (quoted fields with commas, doubled quotes and line breaks), the
 * header included. Records are yielded whatever their length, so the caller can name a row with
 * the wrong column count; text csv-parse cannot read (a stray quote) comes out as an error item
 * and parsing goes on with the next record.
 */
export async function* csvRecords(input: Readable): AsyncGenerator<CsvItem> {
  const errors: CsvItem[] = [];
  const parser = input.pipe(
    parse({
      bom: true,
      info: true,
      raw: true,
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      on_skip: (err, raw) => {
        errors.push({ line: startLine(typeof err?.lines === "number" ? err.lines : 0, raw ?? ""), error: err?.message ?? "unreadable CSV" });
        return undefined;
      },
    }),
  );
  for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number }; raw: string }>) {
    yield* errors.splice(0);
    yield { line: startLine(item.info.lines, item.raw), fields: item.record };
  }
  yield* errors.splice(0);
}

/** csv-parse counts the line a record ends on; a quoted field may span several. */
function startLine(endLine: number, raw: string): number {
  const inner = raw.replace(/\r?\n$/, "");
  return endLine - (inner.match(/\n/g)?.length ?? 0);
}
