import { Code, ConnectError, createContextValues, createHandlerContext } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { IdentityService } from "../../gen/cinemesh/identity/v1/identity_pb.js";
import type { Claims, Role } from "../auth/tokens.js";
import { kClaims, requireAdmin, requireAdminOrService, requireCaller, requireUser } from "./context.js";

function contextOf(role: Role) {
  const claims: Claims = { userId: role === "service" ? "service:media" : "u-1", role, sessionId: "s", expiresAt: Math.floor(Date.now() / 1000) + 60 };
  return createHandlerContext({
    service: IdentityService,
    method: IdentityService.method.getMe,
    protocolName: "connect",
    requestMethod: "POST",
    url: "http://x/",
    contextValues: createContextValues().set(kClaims, claims),
  });
}

const code = (fn: () => unknown) => {
  try {
    fn();
    return undefined;
  } catch (err) {
    return ConnectError.from(err).code;
  }
};

describe("authorisation by role", () => {
  it("a service token passes only the checks made for services", () => {
    const ctx = contextOf("service");
    expect(code(() => requireUser(ctx))).toBe(Code.PermissionDenied);
    expect(code(() => requireAdmin(ctx))).toBe(Code.PermissionDenied);
    expect(requireAdminOrService(ctx).role).toBe("service");
    expect(requireCaller(ctx).role).toBe("service");
  });

  it("members are users, admins are users and admins", () => {
    expect(requireUser(contextOf("member")).userId).toBe("u-1");
    expect(code(() => requireAdmin(contextOf("member")))).toBe(Code.PermissionDenied);
    expect(code(() => requireAdminOrService(contextOf("member")))).toBe(Code.PermissionDenied);
    expect(requireAdmin(contextOf("admin")).role).toBe("admin");
  });
});
