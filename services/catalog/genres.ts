import { invalid } from "./errors.js";

/** A genre as stored: the slug identifies it, the name is how the admin spelled it. */
export interface GenreName {
  slug: string;
  name: string;
}

/**
 * The URL-friendly form of a genre name: accents dropped, lower case, every run of characters
 * that is not a letter or digit turned into one "-" ("Science Fiction" → "science-fiction",
 * "Animé" → "anime"). Letters of any script are kept, so "アニメ" has a slug too.
 */
export function slugify(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, "-")
    .replace(/^-+|-+$/g, "");
}

/**
 * The genres of a title, in the given order, one per slug ("Sci-Fi" and "sci fi" are one genre).
 * A name without a letter or digit names no genre.
 */
export function genreNames(names: readonly string[]): GenreName[] {
  const seen = new Map<string, GenreName>();
  for (const raw of names) {
    const name = raw.trim();
    const slug = slugify(name);
    if (slug === "") throw invalid(`genre ${JSON.stringify(raw)} must contain a letter or a digit`);
    if (!seen.has(slug)) seen.set(slug, { slug, name });
  }
  return [...seen.values()];
}
