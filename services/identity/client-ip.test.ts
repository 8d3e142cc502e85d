import { describe, expect, it } from "vitest";
import { clientIp, UNKNOWN_IP } from "./client-ip.js";

describe("client ip", () => {
  it("takes the first x-forwarded-for entry when it is an address, else unknown", () => {
    expect(clientIp(new Headers({ "x-forwarded-for": "203.0.113.7, 10.0.0.1" }))).toBe("203.0.113.7");
    expect(clientIp(new Headers({ "x-forwarded-for": "2001:DB8::1" }))).toBe("2001:db8::1");
    expect(clientIp(new Headers({ "x-forwarded-for": "not-an-ip, 203.0.113.7" }))).toBe(UNKNOWN_IP);
    expect(clientIp(new Headers())).toBe(UNKNOWN_IP);
  });
});
