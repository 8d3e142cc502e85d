import { describe, expect, it } from "vitest";
import { MESH_SERVICES } from "./contracts.js";
import { isPublicRpc } from "./public-rpcs.js";

describe("the edge's allow-list", () => {
  const named = (pub: boolean) =>
    MESH_SERVICES.flatMap((s) => s.methods.filter((m) => isPublicRpc(m) === pub).map((m) => `${s.name}.${m.name}`)).sort();

  it("keeps every RPC only services call off the public edge", () => {
    expect(named(false)).toEqual([
      "CatalogService.AddSubtitle",
      "CatalogService.BatchGetContent",
      "CatalogService.EnsureVideo",
      "CatalogService.GetVideo",
      "CatalogService.ListByCategory",
      "CatalogService.ListPublished",
      "CatalogService.RecordRenditions",
      "CatalogService.SetVideoEncodingStatus",
      "IdentityService.CheckProfile",
      "LibraryService.GetResumePosition",
      "MediaService.CompleteUpload",
      "MediaService.GetUpload",
      "NotificationService.CreateNotification",
      // Deprecated, UNIMPLEMENTED; their seed paths moved to Get{Hls,Dash}ManifestLocation.
      "PlaybackService.GetDashManifest",
      "PlaybackService.GetManifest",
    ]);
  });

  it("exposes the streaming RPCs clients call, which have no REST route", () => {
    const pub = named(true);
    expect(pub).toContain("MediaService.WatchJob");
    expect(pub).toContain("NotificationService.StreamNotifications");
  });
});
