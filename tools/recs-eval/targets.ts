import type { Result } from "./run-eval.js";

export interface Target {
  name: string;
  value: number;
  /** What `value` must reach. */
  threshold: number;
  met: boolean;
}

export interface Verdict {
  /** ours' Recall@10 over each baseline's. */
  recallOursOverEase: number;
  recallOursOverPopularity: number;
  targets: Target[];
}

/** The bar: Recall@10 at least EASE^R's and 1.7 × popularity's, coverage at least 0.08. */
export const POPULARITY_FACTOR = 1.7;
export const MIN_COVERAGE = 0.08;

export function verdict(results: readonly Result[], names: { ours: string; ease: string; popularity: string }): Verdict {
  const of = (name: string) => {
    const r = results.find((x) => x.name === name);
    if (r === undefined) throw new Error(`no result for ${name}`);
    return r;
  };
  const ours = of(names.ours);
  const ease = of(names.ease);
  const pop = of(names.popularity);
  const target = (name: string, value: number, threshold: number): Target => ({ name, value, threshold, met: value >= threshold });
  return {
    recallOursOverEase: ours.recall / ease.recall,
    recallOursOverPopularity: ours.recall / pop.recall,
    targets: [
      target(`Recall@10 ≥ ${names.ease}'s`, ours.recall, ease.recall),
      target(`Recall@10 ≥ ${POPULARITY_FACTOR} × ${names.popularity}'s`, ours.recall, POPULARITY_FACTOR * pop.recall),
      target(`coverage ≥ ${MIN_COVERAGE}`, ours.coverage, MIN_COVERAGE),
    ],
  };
}
