import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from "node:crypto";

/**
 * Password hashing with scrypt (memory-hard), stored as one PHC-style string that carries its own
 * parameters and salt: `$scrypt$ln=17,r=8,p=1$<salt b64>$<hash b64>`. Hashes made with older
 * parameters keep verifying (theirs travel in the string); `needsRehash` tells login to upgrade them.
 */
export interface ScryptParams {
  /** log2 of the CPU/memory cost N. */
  ln: number;
  r: number;
  p: number;
}

/**
 * N=2^17, r=8, p=1: OWASP Password Storage Cheat Sheet's scrypt recommendation; 128 MiB and a few
 * hundred ms per hash on a server core, which is why hashing is also bounded (hash-slots.ts).
 * Before: N=2^15 (still verifies).
 */
export const DEFAULT_SCRYPT_PARAMS: ScryptParams = { ln: 17, r: 8, p: 1 };

const SALT_BYTES = 16;
const KEY_BYTES = 32;
/** Bounds on parameters read back from storage, so a corrupted row cannot ask for gigabytes. */
const MAX_LN = 20;
const MAX_R = 16;
const MAX_P = 4;
const PHC = /^\$scrypt\$ln=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;

export async function hashPassword(password: string, params: ScryptParams = DEFAULT_SCRYPT_PARAMS): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, KEY_BYTES, params);
  return `$scrypt$ln=${params.ln},r=${params.r},p=${params.p}$${b64(salt)}$${b64(key)}`;
}

/** True when `password` produced `encoded`. A malformed `encoded` never matches (and never throws). */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const m = PHC.exec(encoded);
  if (m === null) return false;
  const params = paramsOf(m);
  if (params.ln < 1 || params.ln > MAX_LN || params.r < 1 || params.r > MAX_R || params.p < 1 || params.p > MAX_P) return false;
  const salt = Buffer.from(m[4], "base64");
  const expected = Buffer.from(m[5], "base64");
  if (expected.length < 16) return false;
  const actual = await derive(password, salt, expected.length, params);
  return timingSafeEqual(actual, expected);
}

/** True when `encoded` was made with parameters other than today's (weaker, or unreadable). */
export function needsRehash(encoded: string, params: ScryptParams = DEFAULT_SCRYPT_PARAMS): boolean {
  const m = PHC.exec(encoded);
  if (m === null) return true;
  const stored = paramsOf(m);
  return stored.ln !== params.ln || stored.r !== params.r || stored.p !== params.p;
}

const paramsOf = (m: RegExpExecArray): ScryptParams => ({ ln: Number(m[1]), r: Number(m[2]), p: Number(m[3]) });

function derive(password: string, salt: Buffer, length: number, { ln, r, p }: ScryptParams): Promise<Buffer> {
  const N = 2 ** ln;
  // scrypt needs 128·N·r bytes (plus a little); Node's default cap is 32 MiB, too tight from N=2^15 up.
  const options: ScryptOptions = { N, r, p, maxmem: 2 * 128 * N * r };
  // NFKC: the same password typed on two keyboards (composed vs decomposed accents) must match.
  const normalized = password.normalize("NFKC");
  return new Promise((resolve, reject) => scrypt(normalized, salt, length, options, (err, key) => (err ? reject(err) : resolve(key))));
}

function b64(bytes: Buffer): string {
  return bytes.toString("base64").replace(/=+$/, "");
}
