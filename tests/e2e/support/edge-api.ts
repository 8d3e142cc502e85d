import { expect } from "vitest";

/** A REST call to the edge as a seeds/000 client makes it: JSON body, bearer token, profile id. */
export type EdgeApi = (method: string, path: string, opts?: { token?: string; profile?: string; body?: unknown }) => Promise<{ status: number; body: any }>;

export function edgeApi(edgeUrl: string): EdgeApi {
  return async (method, path, opts = {}) => {
    const headers: Record<string, string> = {};
    if (opts.body !== undefined) headers["content-type"] = "application/json";
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (opts.profile) headers["profile-id"] = opts.profile;
    const res = await fetch(`${edgeUrl}${path}`, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
}

/** The body of an answer that must have `status`; a failure shows what the edge said. */
export const ok = <T extends { status: number; body: any }>(r: T, status = 200): T["body"] => {
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  return r.body;
};
