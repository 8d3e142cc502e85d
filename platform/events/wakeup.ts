/**
 * A sleeper that can be woken early. A wake() that arrives while nobody sleeps is remembered,
 * so the next sleep returns at once and no notification is lost between two checks.
 */
export class Wakeup {
  private pending = false;
  private resolve: (() => void) | undefined;

  wake(): void {
    if (this.resolve) {
      this.resolve();
      this.resolve = undefined;
    } else {
      this.pending = true;
    }
  }

  /** Resolves on the next wake() or after `ms`, whichever is first. */
  sleep(ms: number): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.resolve = undefined;
        resolve();
      }, ms);
      this.resolve = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  /** Wakes the sleeper after `ms` (a nak delay running out), without keeping the process alive. */
  wakeAfter(ms: number): void {
    setTimeout(() => this.wake(), ms).unref();
  }
}
