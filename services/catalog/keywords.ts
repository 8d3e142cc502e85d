import { invalid } from "./errors.js";

/**
 * The keywords of a title, in the given order, each once: spaces trimmed and runs of them made one,
 * and two spellings that differ only in case are one keyword (the first spelling is kept), so
 * tags gathered from many people ("Time travel", "time  travel") do not repeat.
 */
export function keywordList(raw: readonly string[]): string[] {
  const seen = new Map<string, string>();
  for (const k of raw) {
    const keyword = k.normalize("NFC").trim().replace(/\s+/gu, " ");
    if (keyword === "") throw invalid(`keywords: keyword ${JSON.stringify(k)} is blank`);
    const key = keyword.toLowerCase();
    if (!seen.has(key)) seen.set(key, keyword);
  }
  return [...seen.values()];
}
