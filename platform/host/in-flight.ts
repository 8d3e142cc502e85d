import type { Interceptor, StreamResponse } from "@connectrpc/connect";

/** What a call in flight exposes to the shutdown: a way to abort it. */
export type AbortCall = (reason: unknown) => void;

/**
 * The calls a process is serving, for a graceful shutdown: wait until the unary calls are done,
 * then abort whatever is left (streams, unary calls over the grace period).
 *
 * Calls register here instead of each adding an abort listener to one process-wide shutdown
 * signal: with a listener per call on a shared AbortSignal, every call in flight is one more
 * listener on the same EventTarget (Node warns past 10), and adding and removing them costs an
 * EventTarget round trip per call for an event that happens once per process lifetime.
 */
export class InFlightCalls {
  private readonly calls = new Set<AbortCall>();
  private unary = 0;
  private drained: (() => void) | undefined;
  private shutdownReason: unknown;
  private shuttingDown = false;

  /** Registers a call; the returned function ends the registration. A call entering after the abort is aborted at once. */
  enter(abort: AbortCall, unary: boolean): () => void {
    if (this.shuttingDown) abort(this.shutdownReason);
    this.calls.add(abort);
    if (unary) this.unary++;
    let left = false;
    return () => {
      if (left) return;
      left = true;
      this.calls.delete(abort);
      if (unary && --this.unary === 0) this.drained?.();
    };
  }

  /** Resolves once no unary call is in flight. */
  unaryDrained(): Promise<void> {
    if (this.unary === 0) return Promise.resolve();
    return new Promise((resolve) => (this.drained = resolve));
  }

  /** Aborts every call in flight, and every call that enters from now on. */
  abortAll(reason: unknown): void {
    this.shuttingDown = true;
    this.shutdownReason = reason;
    for (const abort of this.calls) abort(reason);
  }

  /**
   * Registers the calls connect's own handlers serve (Connect, gRPC-web, streams, ...): the handler
   * sees a signal that also aborts on shutdown; a stream stays registered until its last message.
   */
  interceptor(): Interceptor {
    return (next) => async (req) => {
      const controller = new AbortController();
      const onAbort = () => controller.abort(req.signal.reason);
      req.signal.addEventListener("abort", onAbort);
      let leave: (() => void) | undefined = this.enter((reason) => controller.abort(reason), !req.stream);
      const done = () => {
        req.signal.removeEventListener("abort", onAbort);
        leave?.();
        leave = undefined;
        // As connect's own signal does, the handler's fires when the call is over.
        if (!controller.signal.aborted) controller.abort();
      };
      try {
        const res = await next({ ...req, signal: controller.signal } as typeof req);
        if (!res.stream) {
          done();
          return res;
        }
        return { ...res, message: untilDone(res.message, done) } as StreamResponse;
      } catch (err) {
        done();
        throw err;
      }
    };
  }
}

async function* untilDone<T>(messages: AsyncIterable<T>, done: () => void): AsyncIterable<T> {
  try {
    yield* messages;
  } finally {
    done();
  }
}
