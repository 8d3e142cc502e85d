import type { Evaluation } from "./run-eval.js";
import type { Verdict } from "./targets.js";

/** The evaluation as a table a person reads, then the ratios and the targets. */
export function formatReport(e: Evaluation, v: Verdict): string {
  const n = (x: number) => x.toLocaleString("en");
  const header = ["recommender", "Recall@10", "NDCG@10", "coverage", "wall s", "cpu s"];
  const rows = e.results.map((r) => [r.name, r.recall.toFixed(4), r.ndcg.toFixed(4), r.coverage.toFixed(4), r.wallSeconds.toFixed(1), r.cpuSeconds.toFixed(1)]);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c]!.length)));
  const line = (cells: string[]) => cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join("  ");
  const ratio = (x: number) => (Number.isFinite(x) ? `${x.toFixed(2)}×` : "n/a");
  return [
    `${n(e.movies)} movies, ${n(e.users)} users; train ${n(e.trainRatings)} ratings; test ${n(e.testPositives)} positives of ${n(e.testUsers)} users`,
    "",
    line(header),
    ...rows.map(line),
    "",
    `Recall@10 ours / EASE^R: ${ratio(v.recallOursOverEase)}   ours / popularity: ${ratio(v.recallOursOverPopularity)}`,
    "",
    "targets (ours):",
    ...v.targets.map((t) => `  ${t.name.padEnd(34)} ${t.value.toFixed(4)} vs ${t.threshold.toFixed(4)}  ${t.met ? "met" : "NOT MET"}`),
  ].join("\n");
}
