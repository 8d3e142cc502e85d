import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { devKeyFile, type TokenKeyName } from "../auth/key-env.js";
import { generateAuthKeyPair } from "../auth/tokens.js";

/** The files of the development token keys: identity's pair (people's tokens) and the service pair. */
export type DevKeyFiles = Record<TokenKeyName, string>;

/**
 * The development token keys: made once under the data dir and reused, so tokens survive a
 * restart of `npm start`. Production sets AUTH_PUBLIC_KEY / AUTH_PRIVATE_KEY and
 * SERVICE_TOKEN_PUBLIC_KEY / SERVICE_TOKEN_PRIVATE_KEY from its secret store.
 */
export async function ensureDevKeys(dataDir: string): Promise<DevKeyFiles> {
  const files: DevKeyFiles = {
    identityPublic: devKeyFile(dataDir, "identityPublic"),
    identityPrivate: devKeyFile(dataDir, "identityPrivate"),
    servicePublic: devKeyFile(dataDir, "servicePublic"),
    servicePrivate: devKeyFile(dataDir, "servicePrivate"),
  };
  await ensurePair(dataDir, files.identityPublic, files.identityPrivate);
  await ensurePair(dataDir, files.servicePublic, files.servicePrivate);
  return files;
}

async function ensurePair(dataDir: string, publicKeyFile: string, privateKeyFile: string): Promise<void> {
  try {
    await Promise.all([readFile(publicKeyFile), readFile(privateKeyFile)]);
  } catch {
    // Only the keys folder is private: the data dir must stay readable for the postgres user.
    await mkdir(dataDir, { recursive: true });
    await mkdir(path.dirname(privateKeyFile), { mode: 0o700 }).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== "EEXIST") throw err;
    });
    const { publicKeyPem, privateKeyPem } = await generateAuthKeyPair();
    await writeFile(privateKeyFile, privateKeyPem, { mode: 0o600 });
    await writeFile(publicKeyFile, publicKeyPem);
  }
}
