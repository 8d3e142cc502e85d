import { AsyncLocalStorage } from "node:async_hooks";

/**
 * What an incoming call hands on to the calls its handler makes: the absolute deadline, the
 * caller's credentials and profile, and the request id. The server interceptors open a scope per
 * call; the propagating transport (clients.ts) reads it, so handlers never thread it by hand.
 */
export interface CallScope {
  requestId: string;
  /** Absolute deadline, ms since the epoch; undefined when the caller set none. */
  deadline: number | undefined;
  authorization: string | undefined;
  profileId: string | undefined;
}

export const callScope = new AsyncLocalStorage<CallScope>();

const GRPC_TIMEOUT_UNITS: Record<string, number> = { H: 3_600_000, M: 60_000, S: 1000, m: 1, u: 0.001, n: 0.000_001 };

/** The timeout an incoming request asks for, in ms: `grpc-timeout` (gRPC, gRPC-web) or `connect-timeout-ms`. */
export function requestedTimeoutMs(header: Headers): number | undefined {
  const grpc = header.get("grpc-timeout");
  if (grpc !== null) {
    const m = /^(\d{1,8})([HMSmun])$/.exec(grpc);
    if (m) return Number(m[1]) * GRPC_TIMEOUT_UNITS[m[2]];
  }
  const connect = header.get("connect-timeout-ms");
  if (connect !== null && /^\d{1,10}$/.test(connect)) return Number(connect);
  return undefined;
}
