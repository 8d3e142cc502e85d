import { topK, type ItemNeighbour } from "./co-watching.js";
import type { TitleFeatures } from "./titles.js";

/**
 * Content similarity: titles are alike when they share what describes them — genres, director,
 * cast, keywords, decade and language — each feature weighted by how rare it is (idf), so sharing
 * a director says more than sharing "Drama". The cosine of those weighted feature sets.
 */
const FIELD_WEIGHT = { genre: 1, director: 1.2, cast: 0.8, keyword: 0.8, decade: 0.4, language: 0.3 } as const;

/** Most cast members a title is compared by: the top of the billing. */
const CAST_COMPARED = 5;

export function featuresOf(t: TitleFeatures): Map<string, number> {
  const f = new Map<string, number>();
  const add = (key: string, w: number) => f.set(key, Math.max(f.get(key) ?? 0, w));
  for (const g of t.genres) add(`g:${g.toLowerCase()}`, FIELD_WEIGHT.genre);
  if (t.director) add(`d:${t.director.toLowerCase()}`, FIELD_WEIGHT.director);
  for (const c of t.cast.slice(0, CAST_COMPARED)) add(`c:${c.toLowerCase()}`, FIELD_WEIGHT.cast);
  for (const k of t.keywords) add(`k:${k.toLowerCase()}`, FIELD_WEIGHT.keyword);
  if (t.releaseYear > 0) add(`y:${Math.floor(t.releaseYear / 10)}`, FIELD_WEIGHT.decade);
  if (t.language) add(`l:${t.language.toLowerCase()}`, FIELD_WEIGHT.language);
  return f;
}

/** Per title, its `k` most similar titles by content. */
export function contentNeighbours(titles: TitleFeatures[], k: number): ItemNeighbour[][] {
  const features = titles.map(featuresOf);
  const holders = new Map<string, number[]>();
  features.forEach((f, item) => f.forEach((_, key) => (holders.get(key) ?? holders.set(key, []).get(key)!).push(item)));
  const idf = new Map<string, number>();
  holders.forEach((items, key) => idf.set(key, Math.log(1 + titles.length / items.length)));
  const vectors = features.map((f) => {
    const v = new Map<string, number>();
    let norm = 0;
    f.forEach((w, key) => {
      const x = w * idf.get(key)!;
      v.set(key, x);
      norm += x * x;
    });
    return { v, norm: Math.sqrt(norm) };
  });

  const dots = new Float64Array(titles.length);
  const touched: number[] = [];
  return vectors.map(({ v, norm }, item) => {
    v.forEach((x, key) => {
      for (const other of holders.get(key)!) {
        if (other === item) continue;
        if (dots[other] === 0) touched.push(other);
        dots[other]! += x * vectors[other]!.v.get(key)!;
      }
    });
    const row = touched.map((other) => ({ item: other, similarity: dots[other]! / (norm * vectors[other]!.norm) }));
    for (const other of touched) dots[other] = 0;
    touched.length = 0;
    return topK(row, k);
  });
}
