import { createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { IdentityService } from "../../gen/cinemesh/identity/v1/identity_pb.js";

/** Call latencies of one run, ascending, and how long the run took. */
export interface Timings {
  sorted: number[];
  seconds: number;
}

/** `fn` over every item, `width` at a time, each call timed. */
export async function timedEach<T>(items: T[], width: number, fn: (item: T) => Promise<unknown>): Promise<Timings> {
  const times: number[] = [];
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const item = items[next++]!;
        const t = performance.now();
        await fn(item);
        times.push(performance.now() - t);
      }
    }),
  );
  return { sorted: times.sort((a, b) => a - b), seconds: (performance.now() - started) / 1000 };
}

/** A member signed in through the edge: its profile, and the headers its calls carry. */
export interface SignedInMember {
  profileId: string;
  token: string;
  call: { headers: Record<string, string> };
}

/** Members (imported with one password) signed in through the edge, 8 at a time. */
export async function signedIn(edge: string, members: { email: string; profileId: string }[], password: string): Promise<SignedInMember[]> {
  const identity = createClient(IdentityService, createConnectTransport({ baseUrl: edge, httpVersion: "1.1" }));
  const callers: SignedInMember[] = [];
  await timedEach(members, 8, async (m) => {
    const { token } = await identity.login({ email: m.email, password });
    callers.push({ profileId: m.profileId, token, call: { headers: { authorization: `Bearer ${token}`, "profile-id": m.profileId } } });
  });
  return callers;
}
