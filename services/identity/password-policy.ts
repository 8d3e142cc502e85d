import { invalidArgument } from "./errors.js";

export const MIN_PASSWORD_LENGTH = 8;
/** From this length on, a passphrase of letters only is accepted (length beats character classes). */
export const PASSPHRASE_LENGTH = 12;
const MIN_DISTINCT_CHARACTERS = 4;

/**
 * The minimum a new password must meet, in the spirit of NIST SP 800-63B (length first, no
 * arbitrary composition zoo): at least 8 characters; below 12 it must mix letters with digits or
 * symbols; never a run of 1–3 repeated characters; never the email itself. Lengths count code
 * points, so a password of emoji is not penalised for its UTF-16 length.
 */
export function checkPasswordStrength(password: string, email: string): void {
  const chars = [...password];
  if (chars.length < MIN_PASSWORD_LENGTH) throw invalidArgument("password", `must be at least ${MIN_PASSWORD_LENGTH} characters long`);
  if (chars.length < PASSPHRASE_LENGTH && !(/\p{L}/u.test(password) && /[^\p{L}]/u.test(password))) {
    throw invalidArgument("password", `must mix letters with digits or symbols, or be at least ${PASSPHRASE_LENGTH} characters long`);
  }
  if (new Set(chars).size < MIN_DISTINCT_CHARACTERS) throw invalidArgument("password", `must contain at least ${MIN_DISTINCT_CHARACTERS} different characters`);
  if (password.trim().toLowerCase() === email.trim().toLowerCase()) throw invalidArgument("password", "must not be the email address");
}
