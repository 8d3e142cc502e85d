import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { generateAuthKeyPair } from "../auth/tokens.js";

/**
 * The development token keys: made once under the data dir and reused, so tokens survive a
 * restart of `npm start`. Production sets AUTH_PUBLIC_KEY / AUTH_PRIVATE_KEY from its secret store.
 */
export async function ensureDevKeys(dataDir: string): Promise<{ publicKeyFile: string; privateKeyFile: string }> {
  const dir = path.join(dataDir, "keys");
  const publicKeyFile = path.join(dir, "auth-public.pem");
  const privateKeyFile = path.join(dir, "auth-private.pem");
  try {
    await Promise.all([readFile(publicKeyFile), readFile(privateKeyFile)]);
  } catch {
    // Only the keys folder is private: the data dir must stay readable for the postgres user.
    await mkdir(dataDir, { recursive: true });
    await mkdir(dir, { mode: 0o700 }).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== "EEXIST") throw err;
    });
    const { publicKeyPem, privateKeyPem } = await generateAuthKeyPair();
    await writeFile(privateKeyFile, privateKeyPem, { mode: 0o600 });
    await writeFile(publicKeyFile, publicKeyPem);
  }
  return { publicKeyFile, privateKeyFile };
}
