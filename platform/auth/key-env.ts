import { readFileSync } from "node:fs";
import path from "node:path";
import type { EnvReader } from "../config.js";

/**
 * The token keys a process may be given, by environment variable: each is a PEM in `NAME` or in
 * the file named by `NAME_FILE`, by default `<data dir>/keys/<file>` (where `npm start` writes the
 * development keys). Only identity reads AUTH_PRIVATE_KEY; only the processes that call others on
 * their own behalf read SERVICE_TOKEN_PRIVATE_KEY; every process reads the two public keys.
 */
export const TOKEN_KEYS = {
  identityPublic: { name: "AUTH_PUBLIC_KEY", file: "auth-public.pem", purpose: "token-verifying key" },
  identityPrivate: { name: "AUTH_PRIVATE_KEY", file: "auth-private.pem", purpose: "token-signing key" },
  servicePublic: { name: "SERVICE_TOKEN_PUBLIC_KEY", file: "service-public.pem", purpose: "service-token verifying key" },
  servicePrivate: { name: "SERVICE_TOKEN_PRIVATE_KEY", file: "service-private.pem", purpose: "service-token signing key" },
} as const;

export type TokenKeyName = keyof typeof TOKEN_KEYS;

/** Where the development key `key` lives under the data dir. */
export function devKeyFile(dataDir: string, key: TokenKeyName): string {
  return path.join(dataDir, "keys", TOKEN_KEYS[key].file);
}

/** The PEM of `key`, or a problem recorded on `r` (and ""). */
export function readKeyPem(r: EnvReader, dataDir: string, key: TokenKeyName): string {
  return readKey(r, dataDir, key, true) ?? "";
}

/**
 * The PEM of `key` when one is configured; undefined when neither variable is set and the default
 * file does not exist. A file named explicitly must exist.
 */
export function readOptionalKeyPem(r: EnvReader, dataDir: string, key: TokenKeyName): string | undefined {
  return readKey(r, dataDir, key, false);
}

function readKey(r: EnvReader, dataDir: string, key: TokenKeyName, required: boolean): string | undefined {
  const { name, purpose } = TOKEN_KEYS[key];
  const inline = r.optional(name);
  if (inline !== undefined) return inline;
  const named = r.optional(`${name}_FILE`);
  const file = named ?? devKeyFile(dataDir, key);
  try {
    return readFileSync(file, "utf8");
  } catch {
    if (required || named !== undefined) r.problem(`no ${purpose}: set ${name} or ${name}_FILE (looked for ${file}; \`npm start\` creates it)`);
    return undefined;
  }
}
