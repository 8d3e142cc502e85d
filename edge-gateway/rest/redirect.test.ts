import { create } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { HttpRedirectSchema } from "../../gen/cinemesh/common/v1/http_pb.js";
import { GetHlsManifestLocationResponseSchema, StartPlaybackResponseSchema } from "../../gen/cinemesh/playback/v1/playback_pb.js";
import { redirectLocation } from "./redirect.js";

describe("a REST answer that is a redirect", () => {
  it("is the HttpRedirect a route sends, directly or as its response_body", () => {
    const location = "https://media.example/t/videos/v/master.m3u8";
    expect(redirectLocation(GetHlsManifestLocationResponseSchema, create(GetHlsManifestLocationResponseSchema, { redirect: { location } }), "redirect")).toBe(location);
    expect(redirectLocation(HttpRedirectSchema, create(HttpRedirectSchema, { location }), "")).toBe(location);
  });

  it("is nothing else: a message with a URL field stays JSON", () => {
    expect(redirectLocation(StartPlaybackResponseSchema, create(StartPlaybackResponseSchema, { manifestUrl: "https://x" }), "")).toBeUndefined();
    expect(redirectLocation(GetHlsManifestLocationResponseSchema, create(GetHlsManifestLocationResponseSchema, {}), "")).toBeUndefined();
  });

  it("without a location is the service's bug, answered as INTERNAL rather than a redirect to nowhere", () => {
    const err = (() => {
      try {
        redirectLocation(GetHlsManifestLocationResponseSchema, create(GetHlsManifestLocationResponseSchema, {}), "redirect");
      } catch (e) {
        return ConnectError.from(e);
      }
    })();
    expect(err?.code).toBe(Code.Internal);
  });
});
