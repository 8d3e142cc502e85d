import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { IdentityService } from "../../gen/cinemesh/identity/v1/identity_pb.js";
import { MediaService } from "../../gen/cinemesh/media/v1/media_pb.js";
import { createTokenSigner, generateAuthKeyPair, type TokenSigner } from "../auth/tokens.js";
import { startService } from "../host/run-service.js";
import { requireUser } from "../rpc/context.js";

/** What a handler's own upstream calls inherit from the call that is being served. */
describe("call scope", () => {
  let signer: TokenSigner;
  let mediaUrl: string;
  const stops: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    const keys = await generateAuthKeyPair();
    signer = await createTokenSigner(keys.privateKeyPem);
    const env = { AUTH_PUBLIC_KEY: keys.publicKeyPem, LOG_LEVEL: "silent", IDENTITY_PORT: "0", MEDIA_PORT: "0" };
    // An upstream that answers with the user its verified token names.
    const identity = await startService(
      { name: "identity", services: [IdentityService], setup: async () => ({ routes: (r) => r.service(IdentityService, { getMe: (_req, ctx) => ({ user: { userId: requireUser(ctx).userId } }) }) }) },
      env,
    );
    // A stream whose body calls the upstream after it has started sending, and again later.
    const media = await startService(
      {
        name: "media",
        services: [MediaService],
        setup: async ({ upstreams }) => {
          const me = upstreams.client(IdentityService);
          return {
            routes: (r) =>
              r.service(MediaService, {
                async *watchJob(req) {
                  for (let i = 0; i < 2; i++) {
                    const { user } = await me.getMe({});
                    yield { jobId: req.jobId, failureReason: user?.userId ?? "" };
                    await new Promise((r) => setTimeout(r, 20));
                  }
                },
              }),
          };
        },
      },
      { ...env, IDENTITY_ADDR: identity.host.url },
    );
    stops.push(media.stop, identity.stop);
    mediaUrl = media.host.url;
  });
  afterAll(async () => {
    for (const stop of stops) await stop();
  });

  it("carries the caller's token into upstream calls made from a stream's body", async () => {
    const { token } = await signer.sign({ userId: "user-42", role: "member", sessionId: "s" }, 60);
    const media = createClient(MediaService, createGrpcTransport({ baseUrl: mediaUrl }));
    const seen: string[] = [];
    for await (const update of media.watchJob({ jobId: randomUUID() }, { headers: { authorization: `Bearer ${token}` } })) seen.push(update.failureReason);
    expect(seen).toEqual(["user-42", "user-42"]);
  });
});
