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

/** A member as the e2e walks use one: a bearer token and the profile its calls name. */
export interface EdgeMember {
  token: string;
  profile: string;
}

/** Signs a new account up through the edge (a unique e-mail from `name`) and creates its one profile, a kids one when asked. */
export async function newMember(api: EdgeApi, name: string, opts: { isKids?: boolean } = {}): Promise<EdgeMember> {
  const email = `${name.toLowerCase()}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@cinemesh.test`;
  const { token } = ok(await api("POST", "/api/v1/auth/signup", { body: { email, password: "Viewer-passw0rd!", country: "GB" } }));
  const profile = ok(await api("POST", "/api/v1/profiles", { token, body: { name, isKids: opts.isKids ?? false } })).profileId as string;
  return { token, profile };
}

/** Rates a title as the member's profile. */
export async function rateTitle(api: EdgeApi, m: EdgeMember, contentId: string, rating: number): Promise<void> {
  ok(await api("POST", `/api/v1/content/${contentId}/rating`, { token: m.token, profile: m.profile, body: { rating } }));
}
