import { describe, expect, it } from "vitest";
import { DomainError } from "./errors.js";
import { checkPasswordStrength } from "./password-policy.js";

const EMAIL = "ann@example.com";

function rejection(password: string): DomainError | undefined {
  try {
    checkPasswordStrength(password, EMAIL);
    return undefined;
  } catch (err) {
    if (err instanceof DomainError) return err;
    throw err;
  }
}

describe("password policy", () => {
  it("accepts mixed passwords from 8 characters and long passphrases of letters", () => {
    for (const ok of ["abcdefg1", "pass word", "Tr0ub4dor&3", "correct horse battery staple", "abcdefghijkl", "pässwörd2"]) {
      expect(rejection(ok), ok).toBeUndefined();
    }
  });

  it("rejects short, single-class, repetitive passwords and the email itself, naming the password field", () => {
    const cases: Array<[string, RegExp]> = [
      ["abc1", /at least 8 characters/],
      ["abcdefgh", /mix letters with digits or symbols/],
      ["12345678", /mix letters with digits or symbols/],
      ["aaaaaaaaaaaaaaaa", /at least 4 different characters/],
      ["abababab1111", /at least 4 different characters/],
      ["Ann@Example.com", /must not be the email/],
    ];
    for (const [password, message] of cases) {
      const err = rejection(password);
      expect(err?.kind, password).toBe("invalid_argument");
      expect(err?.field).toBe("password");
      expect(err?.message).toMatch(/^password: /);
      expect(err?.message).toMatch(message);
    }
  });

  it("counts characters, not UTF-16 units", () => {
    expect(rejection("🎬🎬🍿🍿1a")?.message).toMatch(/at least 8 characters/);
  });
});
