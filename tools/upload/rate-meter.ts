/**
 * Bytes per second over the last `windowMs`, from (time, total bytes) samples: steadier than
 * the last chunk's rate, quicker to follow a changing link than the average since the start.
 */
export class RateMeter {
  private readonly samples: Array<{ at: number; bytes: number }> = [];

  constructor(private readonly windowMs = 5_000) {}

  /** Records that `bytes` had been sent in all at `atMs`; returns the current rate. */
  sample(atMs: number, bytes: number): number {
    this.samples.push({ at: atMs, bytes });
    while (this.samples.length > 2 && this.samples[1].at <= atMs - this.windowMs) this.samples.shift();
    const first = this.samples[0];
    const elapsed = atMs - first.at;
    return elapsed > 0 ? ((bytes - first.bytes) * 1000) / elapsed : 0;
  }
}
