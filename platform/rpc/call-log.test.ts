import { Writable } from "node:stream";
import { createClient, createRouterTransport } from "@connectrpc/connect";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { NotificationService } from "../../gen/cinemesh/notification/v1/notification_pb.js";
import { requestScopeInterceptor } from "../interceptors/request-scope.js";
import { callLog } from "./context.js";

/** A service logger whose JSON lines the test reads back. */
function capturedLogger() {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split("\n").filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: pino({ base: { service: "notification" } }, sink), lines };
}

describe("a handler's log lines", () => {
  it("carry the request id of the call they were written for, and its RPC", async () => {
    const { logger, lines } = capturedLogger();
    const transport = createRouterTransport(
      (router) =>
        router.service(NotificationService, {
          markRead(req, ctx) {
            callLog(ctx, logger).info({ notificationId: req.notificationId }, "marking read");
            return { success: true };
          },
        }),
      { router: { interceptors: [requestScopeInterceptor(logger, 5_000)] } },
    );
    const client = createClient(NotificationService, transport);
    await client.markRead({ profileId: "p1", notificationId: "n1" }, { headers: { "x-request-id": "req-42" } });
    await client.markRead({ profileId: "p1", notificationId: "n2" }, { headers: { "x-request-id": "req-43" } });

    const written = lines.filter((l) => l.msg === "marking read").map((l) => [l.notificationId, l.requestId, l.rpc, l.service]);
    expect(written).toEqual([
      ["n1", "req-42", "cinemesh.notification.v1.NotificationService/MarkRead", "notification"],
      ["n2", "req-43", "cinemesh.notification.v1.NotificationService/MarkRead", "notification"],
    ]);
  });
});
