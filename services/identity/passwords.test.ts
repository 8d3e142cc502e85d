import { describe, expect, it } from "vitest";
import { hashPassword, needsRehash, verifyPassword } from "./passwords.js";

describe("password hashing", () => {
  it("stores scrypt parameters, salt and hash in one string, and verifies only the right password", async () => {
    const encoded = await hashPassword("correct horse 42");
    expect(encoded).toMatch(/^\$scrypt\$ln=17,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(await verifyPassword("correct horse 42", encoded)).toBe(true);
    expect(await verifyPassword("correct horse 43", encoded)).toBe(false);
    expect(await verifyPassword("", encoded)).toBe(false);
  });

  it("salts every hash, so equal passwords do not give equal hashes", async () => {
    const [a, b] = await Promise.all([hashPassword("same password 1"), hashPassword("same password 1")]);
    expect(a).not.toBe(b);
  });

  it("verifies hashes made with other parameters (they travel in the string) and marks them for rehashing", async () => {
    const old = await hashPassword("older hash 77", { ln: 15, r: 8, p: 1 });
    expect(old).toMatch(/^\$scrypt\$ln=15,/);
    expect(await verifyPassword("older hash 77", old)).toBe(true);
    expect(needsRehash(old)).toBe(true);
    expect(needsRehash(await hashPassword("older hash 77"))).toBe(false);
  });

  it("treats canonically equivalent Unicode spellings as the same password", async () => {
    const composed = "caf\u00e9 au lait 9";
    const decomposed = "cafe\u0301 au lait 9";
    expect(await verifyPassword(decomposed, await hashPassword(composed))).toBe(true);
  });

  it("never matches (nor throws on) a malformed or hostile stored value", async () => {
    for (const bad of ["", "plaintext", "$scrypt$ln=15,r=8,p=1$c2FsdA$", "$scrypt$ln=40,r=8,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2g", "$bcrypt$12$abc"]) {
      expect(await verifyPassword("anything 1", bad)).toBe(false);
    }
  });
});
