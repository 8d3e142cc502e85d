const displayNames = new Intl.DisplayNames(["en"], { type: "language", fallback: "none" });

/**
 * The BCP 47 tag for a language as containers store it: ISO 639-2 codes ("eng", "fre", "ger")
 * become their shortest form ("en", "fr", "de"); "und", empty or malformed become "und".
 */
export function toBcp47(code: string | undefined): string {
  const trimmed = code?.trim();
  if (!trimmed) return "und";
  try {
    return Intl.getCanonicalLocales(trimmed)[0] ?? "und";
  } catch {
    return "und";
  }
}

/** A menu label in English for a BCP 47 tag ("fr" → "French"), or `fallback` when unknown. */
export function languageLabel(tag: string, fallback: string): string {
  if (tag === "und") return fallback;
  try {
    return displayNames.of(tag) ?? fallback;
  } catch {
    return fallback;
  }
}

/**
 * File-system-safe, unique names for a list of tracks: `${prefix}${tag}`, with "-2", "-3"… for
 * repeats ("audio-en", "audio-en-2", "audio-fr").
 */
export function uniqueTrackNames(prefix: string, tags: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return tags.map((tag) => {
    const base = `${prefix}${tag.toLowerCase().replace(/[^a-z0-9-]/g, "-")}`;
    const count = (seen.get(base) ?? 0) + 1;
    seen.set(base, count);
    return count === 1 ? base : `${base}-${count}`;
  });
}

/** Labels made unique within a menu: the second "English" becomes "English 2". */
export function uniqueLabels(labels: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return labels.map((label) => {
    const count = (seen.get(label) ?? 0) + 1;
    seen.set(label, count);
    return count === 1 ? label : `${label} ${count}`;
  });
}
