import { Code, ConnectError, type Interceptor, type StreamResponse } from "@connectrpc/connect";
import { kClaims } from "../rpc/context.js";

export interface StreamLimits {
  /** Streams one user may hold open at once; the next is RESOURCE_EXHAUSTED. */
  maxStreamsPerUser: number;
  /** A stream's longest life: then it ends with DEADLINE_EXCEEDED (clients reconnect). */
  maxStreamLifetimeMs: number;
}

/**
 * Bounds what streaming calls (job progress, notifications) can hold: each user has at most
 * `maxStreamsPerUser` open, and none lives longer than `maxStreamLifetimeMs`. Runs after the auth
 * interceptor: users are told apart by their verified claims. Callers without a token share one
 * count (streams that need no user are the exception). Unary calls pass straight through.
 */
export function streamLimitsInterceptor(limits: StreamLimits): Interceptor {
  const open = new Map<string, number>();
  const release = (user: string) => {
    const n = (open.get(user) ?? 1) - 1;
    if (n === 0) open.delete(user);
    else open.set(user, n);
  };
  return (next) => async (req) => {
    if (req.method.methodKind === "unary") return next(req);
    const user = req.contextValues.get(kClaims)?.userId ?? "";
    const count = open.get(user) ?? 0;
    if (count >= limits.maxStreamsPerUser) {
      throw new ConnectError(`too many open streams: at most ${limits.maxStreamsPerUser} per user`, Code.ResourceExhausted);
    }
    open.set(user, count + 1);
    let released = false;
    const done = () => {
      if (released) return;
      released = true;
      clearTimeout(timer);
      release(user);
    };
    // The handler's signal aborts at the end of the lifetime, so it stops producing.
    const controller = new AbortController();
    const onAbort = () => controller.abort(req.signal.reason);
    req.signal.addEventListener("abort", onAbort, { once: true });
    const expired = new ConnectError(`the stream reached its maximum lifetime of ${limits.maxStreamLifetimeMs} ms`, Code.DeadlineExceeded);
    const timer = setTimeout(() => controller.abort(expired), limits.maxStreamLifetimeMs);
    try {
      const res = await next({ ...req, signal: controller.signal } as typeof req);
      if (!res.stream) {
        done();
        return res;
      }
      return { ...res, message: untilExpired(res.message, controller.signal, () => (req.signal.removeEventListener("abort", onAbort), done())) } as StreamResponse;
    } catch (err) {
      req.signal.removeEventListener("abort", onAbort);
      done();
      throw err;
    }
  };
}

/** The stream's messages until `signal` aborts (then its reason is thrown); `done` runs once it ends. */
async function* untilExpired<T>(messages: AsyncIterable<T>, signal: AbortSignal, done: () => void): AsyncIterable<T> {
  const it = messages[Symbol.asyncIterator]();
  const aborted = new Promise<never>((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    else signal.addEventListener("abort", () => reject(signal.reason), { once: true });
  });
  aborted.catch(() => undefined);
  try {
    for (;;) {
      const step = await Promise.race([it.next(), aborted]);
      if (step.done === true) return;
      yield step.value;
    }
  } finally {
    done();
    // Ends the handler's generator too, without waiting for a message it may never produce.
    void it.return?.().catch(() => undefined);
  }
}
