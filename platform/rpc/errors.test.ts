import { Code, ConnectError, createClient, createRouterTransport } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { NotificationService } from "../../gen/cinemesh/notification/v1/notification_pb.js";
import { BadRequestSchema, RetryInfoSchema } from "../../gen/google/rpc/error_details_pb.js";
import { DomainError } from "../domain/errors.js";
import { mappingDomainErrors } from "./errors.js";

/** A service whose every RPC refuses the way its request says, wrapped like every service's handlers. */
function refusing(err: unknown) {
  const transport = createRouterTransport((router) =>
    router.service(
      NotificationService,
      mappingDomainErrors({
        async markRead() {
          throw err;
        },
        async *streamNotifications() {
          yield {};
          throw err;
        },
      }),
    ),
  );
  return createClient(NotificationService, transport);
}

async function failure(call: () => Promise<unknown>): Promise<ConnectError> {
  try {
    await call();
  } catch (err) {
    return ConnectError.from(err);
  }
  throw new Error("the call succeeded");
}

describe("one mapping from domain errors to RPC codes", () => {
  it("gives each domain refusal its code and message", async () => {
    const cases: Array<[DomainError, Code]> = [
      [new DomainError("not_found", "notification n1 not found"), Code.NotFound],
      [new DomainError("already_exists", "email taken"), Code.AlreadyExists],
      [new DomainError("failed_precondition", "upload incomplete"), Code.FailedPrecondition],
      [new DomainError("aborted", "kept changing; retry"), Code.Aborted],
      [new DomainError("unauthenticated", "invalid email or password"), Code.Unauthenticated],
      [new DomainError("permission_denied", "not yours"), Code.PermissionDenied],
    ];
    for (const [err, code] of cases) {
      const e = await failure(() => refusing(err).markRead({ profileId: "p", notificationId: "n" }));
      expect([e.code, e.rawMessage]).toEqual([code, err.message]);
    }
  });

  it("names the field at fault and how long to wait", async () => {
    const bad = await failure(() => refusing(new DomainError("invalid_argument", "size_bytes: too large", "size_bytes")).markRead({}));
    expect(bad.code).toBe(Code.InvalidArgument);
    expect(bad.findDetails(BadRequestSchema)[0]?.fieldViolations[0]?.field).toBe("size_bytes");
    const slow = await failure(() => refusing(new DomainError("throttled", "too many attempts", undefined, 30_000)).markRead({}));
    expect(slow.code).toBe(Code.ResourceExhausted);
    expect(Number(slow.findDetails(RetryInfoSchema)[0]?.retryDelay?.seconds)).toBe(30);
  });

  it("maps a refusal raised while a server stream is under way", async () => {
    const e = await failure(async () => {
      for await (const _ of refusing(new DomainError("not_found", "encoding job j1 not found")).streamNotifications({})) void _;
    });
    expect([e.code, e.rawMessage]).toEqual([Code.NotFound, "encoding job j1 not found"]);
  });

  it("leaves a fault a fault (INTERNAL), not a refusal", async () => {
    const e = await failure(() => refusing(new Error("connection reset")).markRead({}));
    expect(e.code).toBe(Code.Internal);
  });
});
