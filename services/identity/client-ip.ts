import { isIP } from "node:net";

/** What login throttling counts against when the caller's address is not known. */
export const UNKNOWN_IP = "unknown";

/**
 * The client's address for per-IP throttling: the first `x-forwarded-for` entry, which the edge
 * sets from the peer address of the connection (it overwrites whatever the client sent). Anything
 * that is not an IP address counts as unknown, so a header cannot mint unbounded counter keys.
 */
export function clientIp(headers: Headers): string {
  const first = headers.get("x-forwarded-for")?.split(",")[0]?.trim() ?? "";
  return isIP(first) === 0 ? UNKNOWN_IP : first.toLowerCase();
}
