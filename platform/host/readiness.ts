/** Whether a process can serve now, and if not, which of the services it depends on are not ready. */
export interface ReadinessReport {
  ready: boolean;
  notReady: string[];
}

/** Answers true when the named dependency can serve (e.g. its grpc.health says SERVING); false or a rejection when not. */
export interface ReadinessProbe {
  name: string;
  ready: () => Promise<boolean>;
}

/**
 * "Can this process serve?" asked of every dependency at once, with the answer kept for `ttlMs` so
 * that probes, load balancers and the health loop polling it cost the dependencies one round of
 * checks per interval, however many ask. Concurrent askers share the round in flight.
 */
export class Readiness {
  private last: { at: number; report: ReadinessReport } | undefined;
  private inFlight: Promise<ReadinessReport> | undefined;

  constructor(
    private readonly probes: ReadinessProbe[],
    private readonly ttlMs = 1_000,
  ) {}

  check(): Promise<ReadinessReport> {
    if (this.last !== undefined && Date.now() - this.last.at < this.ttlMs) return Promise.resolve(this.last.report);
    this.inFlight ??= this.probe().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  private async probe(): Promise<ReadinessReport> {
    const answers = await Promise.all(this.probes.map((p) => p.ready().catch(() => false)));
    const notReady = this.probes.filter((_, i) => !answers[i]).map((p) => p.name);
    const report = { ready: notReady.length === 0, notReady };
    this.last = { at: Date.now(), report };
    return report;
  }
}
