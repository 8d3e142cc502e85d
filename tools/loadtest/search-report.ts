import { timedEach } from "./bench-load.js";
import { percentile } from "./route-stats.js";
import { QUERY_KINDS, type BenchQuery } from "./search-queries.js";

/** One query's answer in a search benchmark run. */
export interface Outcome {
  query: BenchQuery;
  /** Keys of the first five answers. */
  top: string[];
  ms: number;
}

/** Runs every query, `concurrency` at a time, timing each. */
export async function concurrently(queries: BenchQuery[], concurrency: number, run: (q: BenchQuery) => Promise<string[]>): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  await timedEach(queries, concurrency, async (query) => {
    const t0 = performance.now();
    const top = await run(query);
    outcomes.push({ query, top, ms: performance.now() - t0 });
  });
  return outcomes;
}

/**
 * hit@1, hit@5, p50 and p99 per query kind and overall for each run; then the first run's latency
 * as a ratio to the run named `reference` (measured in the same process, on the same machine).
 */
export function report(runs: Array<[string, Outcome[]]>, reference: string): void {
  const hit = (o: Outcome, k: number) => o.top.slice(0, k).some((key) => o.query.targets.has(key));
  const ms = (o: Outcome[]) => o.map((x) => x.ms).sort((a, b) => a - b);
  const line = (label: string, outcomes: Outcome[]) => {
    const sorted = ms(outcomes);
    const rate = (k: number) => (outcomes.filter((o) => hit(o, k)).length / outcomes.length).toFixed(3);
    return `${label.padEnd(16)} ${String(outcomes.length).padStart(5)}  hit@1 ${rate(1)}  hit@5 ${rate(5)}  p50 ${percentile(sorted, 0.5).toFixed(1).padStart(7)} ms  p99 ${percentile(sorted, 0.99).toFixed(1).padStart(7)} ms`;
  };
  for (const [name, outcomes] of runs) {
    console.log(`\n${name}`);
    for (const kind of QUERY_KINDS) {
      const of = outcomes.filter((o) => o.query.kind === kind);
      if (of.length > 0) console.log(line(`  ${kind}`, of));
    }
    console.log(line("  all", outcomes));
  }
  const [first] = runs;
  const ref = runs.find(([name]) => name === reference);
  if (!first || !ref) return;
  const ratio = (q: number) => (percentile(ms(first[1]), q) / percentile(ms(ref[1]), q)).toFixed(1);
  console.log(`\nlatency ratio ${first[0]} ÷ ${ref[0]}: p50 ${ratio(0.5)}×, p99 ${ratio(0.99)}×`);
}

/** What a run missed, for whoever tunes the ranking: the query, its kind and the first answers. */
export function misses(outcomes: Outcome[], k: number, titleOf: (key: string) => string): string[] {
  return outcomes
    .filter((o) => !o.top.slice(0, k).some((key) => o.query.targets.has(key)))
    .map((o) => `${o.query.kind.padEnd(14)} ${JSON.stringify(o.query.text)} → ${o.top.slice(0, 3).map((key) => JSON.stringify(titleOf(key))).join(", ")}`);
}
