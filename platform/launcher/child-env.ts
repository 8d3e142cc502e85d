import { TOKEN_KEYS, type TokenKeyName } from "../auth/key-env.js";
import type { DevKeyFiles } from "./keys.js";

/**
 * Which launched processes hold which private key. Only identity signs people's tokens; only the
 * processes that call others on their own behalf (today the encoding worker) sign service tokens.
 */
const PRIVATE_KEY_HOLDERS: Partial<Record<TokenKeyName, readonly string[]>> = {
  identityPrivate: ["identity"],
  servicePrivate: ["media-worker"],
};

const PUBLIC_KEYS: readonly TokenKeyName[] = ["identityPublic", "servicePublic"];

/**
 * The environment of one launched process: the shared settings, both public keys, and a private
 * key only for the processes that hold it. A key the operator gave the launcher (`NAME` or
 * `NAME_FILE`) wins over the development key; a private key given to the launcher never leaks to
 * a process that does not hold it.
 */
export function processEnv(processName: string, shared: NodeJS.ProcessEnv, keys: DevKeyFiles): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...shared };
  for (const [key, holders] of Object.entries(PRIVATE_KEY_HOLDERS) as [TokenKeyName, readonly string[]][]) {
    const { name } = TOKEN_KEYS[key];
    delete env[name];
    delete env[`${name}_FILE`];
    if (holders.includes(processName)) give(env, shared, key, keys);
  }
  for (const key of PUBLIC_KEYS) give(env, shared, key, keys);
  return env;
}

function give(env: NodeJS.ProcessEnv, shared: NodeJS.ProcessEnv, key: TokenKeyName, keys: DevKeyFiles): void {
  const { name } = TOKEN_KEYS[key];
  if (shared[name]) env[name] = shared[name];
  else env[`${name}_FILE`] = shared[`${name}_FILE`] || keys[key];
}
