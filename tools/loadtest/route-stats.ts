/** The routes a simulated viewer calls, in the order it first calls them. */
export const ROUTES = ["play", "playlist", "init", "segment", "progress"] as const;
export type Route = (typeof ROUTES)[number];

export interface RouteSummary {
  count: number;
  bytes: number;
  p50Ms: number;
  p99Ms: number;
}

/** Latencies, body bytes and failures per route for one run; failures keep their description. */
export class RouteStats {
  private readonly latencies = new Map<Route, number[]>(ROUTES.map((r) => [r, []]));
  private readonly bytes = new Map<Route, number>(ROUTES.map((r) => [r, 0]));
  readonly errors: { route: Route; what: string }[] = [];
  /** Answers of UNIMPLEMENTED, counted apart from errors: the RPC exists in the contract but not yet in the service. */
  readonly unimplemented = new Map<Route, number>();
  /** Segment fetches issued more than a second after their due time (the viewer fell behind). */
  late = 0;

  record(route: Route, ms: number, bytes: number): void {
    this.latencies.get(route)!.push(ms);
    this.bytes.set(route, this.bytes.get(route)! + bytes);
  }

  fail(route: Route, what: string): void {
    this.errors.push({ route, what });
  }

  countUnimplemented(route: Route): void {
    this.unimplemented.set(route, (this.unimplemented.get(route) ?? 0) + 1);
  }

  summary(route: Route): RouteSummary {
    const sorted = [...this.latencies.get(route)!].sort((a, b) => a - b);
    return { count: sorted.length, bytes: this.bytes.get(route)!, p50Ms: percentile(sorted, 0.5), p99Ms: percentile(sorted, 0.99) };
  }

  totalRequests(): number {
    let n = this.errors.length;
    for (const l of this.latencies.values()) n += l.length;
    for (const u of this.unimplemented.values()) n += u;
    return n;
  }
}

/** The q-quantile (0..1) of ascending values, NaN for none. */
export function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}
