import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import type { BadRow, SourcedTitle } from "./catalog-title.js";
import { parseJsonlTitle, type JsonlDefaults } from "./jsonl-title.js";
import type { ReadResult } from "./read-movielens.js";

/** Every title of a JSON Lines stream, one per non-blank line; bad lines are reported with their number. */
export async function parseJsonl(file: string, stream: Readable, defaults: JsonlDefaults): Promise<ReadResult> {
  const titles: SourcedTitle[] = [];
  const badRows: BadRow[] = [];
  let line = 0;
  for await (const text of createInterface({ input: stream, crlfDelay: Infinity })) {
    line++;
    if (text.trim() === "") continue;
    const parsed = parseJsonlTitle(line === 1 ? text.replace(/^\uFEFF/, "") : text, defaults);
    if (parsed.ok) titles.push({ file, line, title: parsed.value });
    else badRows.push({ file, line, reason: parsed.reason });
  }
  return { titles, badRows };
}

export function readJsonlFile(file: string, defaults: JsonlDefaults): Promise<ReadResult> {
  return parseJsonl(file, createReadStream(file, { encoding: "utf8" }), defaults);
}
