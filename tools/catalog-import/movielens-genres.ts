/**
 * MovieLens genres → the catalog's genre names. The catalog takes any name (services/catalog/genres.ts
 * keys them by slug), so the mapping is about what viewers browse: the names the rest of Cinemesh
 * already uses ("Kids", "Science Fiction"), not MovieLens's abbreviations. IMAX is a screen format,
 * not a genre, and is dropped.
 */
const TO_CATALOG: Record<string, string | null> = {
  Action: "Action",
  Adventure: "Adventure",
  Animation: "Animation",
  Children: "Kids",
  "Children's": "Kids",
  Comedy: "Comedy",
  Crime: "Crime",
  Documentary: "Documentary",
  Drama: "Drama",
  Fantasy: "Fantasy",
  "Film-Noir": "Film Noir",
  Horror: "Horror",
  IMAX: null,
  Musical: "Musical",
  Mystery: "Mystery",
  Romance: "Romance",
  "Sci-Fi": "Science Fiction",
  Thriller: "Thriller",
  War: "War",
  Western: "Western",
};

/** The catalog requires a genre; titles MovieLens leaves without one are filed here. */
export const FALLBACK_GENRE = "Other";

/** `Adventure|Animation|Children` → `["Adventure", "Animation", "Kids"]`; `(no genres listed)` → `["Other"]`. Unknown names are kept as written. */
export function catalogGenres(field: string): string[] {
  const out: string[] = [];
  for (const raw of field.split("|")) {
    const name = raw.trim();
    if (name === "" || name === "(no genres listed)") continue;
    const mapped = name in TO_CATALOG ? TO_CATALOG[name] : name;
    if (mapped !== null && !out.includes(mapped)) out.push(mapped);
  }
  return out.length > 0 ? out : [FALLBACK_GENRE];
}

/** The inverse, for writing MovieLens files from a catalog: `Science Fiction` → `Sci-Fi`. */
export function movieLensGenres(genres: readonly string[]): string {
  if (genres.length === 0 || (genres.length === 1 && genres[0] === FALLBACK_GENRE)) return "(no genres listed)";
  const back = new Map(Object.entries(TO_CATALOG).flatMap(([ml, cat]) => (cat === null || ml === "Children's" ? [] : [[cat, ml] as const])));
  return genres.map((g) => back.get(g) ?? g).join("|");
}
