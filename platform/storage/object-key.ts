import { InvalidObjectKeyError } from "./objects.js";

const MAX_KEY_BYTES = 1024;

/**
 * Object keys are relative `/`-separated paths: no empty, `.` or `..` segment, no leading or
 * trailing `/`, no backslash or control character, at most 1024 bytes. Both stores enforce the
 * same rules, so a key that works embedded works on S3 and can never escape the file store's root.
 */
export function assertObjectKey(key: string): void {
  checkCommon(key, key);
  if (key === "") throw new InvalidObjectKeyError(key, "empty");
  if (key.split("/").some((s) => s === "")) throw new InvalidObjectKeyError(key, "empty path segment");
}

/** A list/delete prefix: like a key, except it may be empty or end in `/` or inside a segment. */
export function assertObjectPrefix(prefix: string): void {
  checkCommon(prefix, prefix);
  const segments = prefix.split("/");
  if (segments.slice(0, -1).some((s) => s === "")) throw new InvalidObjectKeyError(prefix, "empty path segment");
}

function checkCommon(key: string, shown: string): void {
  if (Buffer.byteLength(key) > MAX_KEY_BYTES) throw new InvalidObjectKeyError(shown, `longer than ${MAX_KEY_BYTES} bytes`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\\]/.test(key)) throw new InvalidObjectKeyError(shown, "control character or backslash");
  if (key.startsWith("/")) throw new InvalidObjectKeyError(shown, "leading /");
  if (key.split("/").some((s) => s === "." || s === "..")) throw new InvalidObjectKeyError(shown, ". or .. segment");
}
