import { Code, ConnectError } from "@connectrpc/connect";
import { backoffMs } from "../events/backoff.js";
import type { UnaryCallOptions } from "./grpc-unary-call.js";
import { failedBeforeConnecting } from "./h2-errors.js";

/** First pause after a refused connection, and the longest one: an upstream restarting is back within a second or so. */
const FIRST_PAUSE_MS = 25;
const LONGEST_PAUSE_MS = 1_000;

/**
 * gRPC's wait-for-ready for a call with a deadline: while the upstream cannot be connected to
 * (not listening yet, name not resolving yet), the call is made again after a growing pause instead
 * of failing at once, until the deadline, where it fails UNAVAILABLE. Only a call that was never
 * sent is made again; an error from a call that may have reached the service is returned as it is.
 * The caller going away or its signal ends the wait (CANCELED).
 */
export function waitForReady<R>(attempt: (timeoutMs: number) => Promise<R>, timeoutMs: number, options: UnaryCallOptions, target: string): Promise<R> {
  const deadline = Date.now() + timeoutMs;
  const again = async (err: unknown, round: number): Promise<R> => {
    if (!failedBeforeConnecting(err)) throw err;
    const remaining = deadline - Date.now();
    await pause(Math.min(backoffMs(round, FIRST_PAUSE_MS, LONGEST_PAUSE_MS), Math.max(remaining, 0)), options);
    const left = deadline - Date.now();
    if (left <= 0) {
      const cause = err instanceof ConnectError ? err.rawMessage : String(err);
      throw new ConnectError(`${target} was not reachable within the call's ${timeoutMs} ms deadline (${cause})`, Code.Unavailable, undefined, undefined, err);
    }
    return attempt(left).catch((next: unknown) => again(next, round + 1));
  };
  return attempt(timeoutMs).catch((err: unknown) => again(err, 1));
}

/** Waits `ms`, or rejects CANCELED as soon as the call's signal aborts or its caller goes away. */
function pause(ms: number, { signal, cancelOnClose }: UnaryCallOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(ConnectError.from(signal.reason, Code.Canceled));
    const done = (err?: ConnectError) => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      cancelOnClose?.off("close", onGone);
      if (err === undefined) resolve();
      else reject(err);
    };
    const onAbort = () => done(ConnectError.from(signal!.reason, Code.Canceled));
    const onGone = () => done(new ConnectError("the caller went away", Code.Canceled));
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", onAbort);
    cancelOnClose?.once("close", onGone);
  });
}
