import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { SubscriptionPlan } from "../../gen/cinemesh/common/v1/enums_pb.js";
import { capDashMpd, capHlsMaster, maxShortSideOf, renditionShortSideOf, UNCAPPED } from "./quality-cap.js";

// A real master and MPD written by the encoding pipeline for a 1080p source (360p-1080p + English audio).
const master = readFileSync(new URL("./testdata/master.m3u8", import.meta.url), "utf8");
const mpd = readFileSync(new URL("./testdata/manifest.mpd", import.meta.url), "utf8");

const variants = (m: string) => m.split("\n").filter((l) => /^\d+p\/index\.m3u8$/.test(l));
const representations = (m: string) => [...m.matchAll(/<Representation [^>]*height="(\d+)"/g)].map((x) => Number(x[1]));

describe("plan caps", () => {
  it("follow the seed: BASIC 480p, STANDARD 1080p, PREMIUM all, no plan nothing", () => {
    expect(maxShortSideOf(SubscriptionPlan.BASIC)).toBe(480);
    expect(maxShortSideOf(SubscriptionPlan.STANDARD)).toBe(1080);
    expect(maxShortSideOf(SubscriptionPlan.PREMIUM)).toBe(UNCAPPED);
    expect(maxShortSideOf(SubscriptionPlan.UNSPECIFIED)).toBe(0);
  });

  it("find the rendition of an object key by its folder", () => {
    expect(renditionShortSideOf("videos/v/j/1080p/seg-00001.m4s")).toBe(1080);
    expect(renditionShortSideOf("videos/v/j/480p/index.m3u8")).toBe(480);
    expect(renditionShortSideOf("videos/v/j/master.m3u8")).toBeUndefined();
    expect(renditionShortSideOf("videos/v/j/audio-en/seg-00001.m4s")).toBeUndefined();
    expect(renditionShortSideOf("videos/v/j/artwork/thumb-10.jpg")).toBeUndefined();
  });
});

describe("capping the HLS master", () => {
  it("keeps only the variants up to the cap, with their tags, and every audio rendition", () => {
    const capped = capHlsMaster(master, 480);
    expect(variants(capped)).toEqual(["360p/index.m3u8", "480p/index.m3u8"]);
    expect(capped).not.toMatch(/RESOLUTION=1280x720|RESOLUTION=1920x1080/);
    expect(capped.match(/#EXT-X-STREAM-INF/g)).toHaveLength(2);
    expect(capped).toContain('#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="audio"');
  });

  it("leaves an uncapped master as it was", () => {
    expect(capHlsMaster(master, UNCAPPED)).toBe(master);
    expect(variants(capHlsMaster(master, 1080))).toHaveLength(4);
  });

  it("caps a portrait ladder by its short side too", () => {
    const portrait = "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1,RESOLUTION=360x640\n360p/index.m3u8\n#EXT-X-STREAM-INF:BANDWIDTH=2,RESOLUTION=720x1280\n720p/index.m3u8\n";
    expect(variants(capHlsMaster(portrait, 480))).toEqual(["360p/index.m3u8"]);
  });
});

describe("capping the DASH MPD", () => {
  it("drops the video Representations above the cap and shrinks the set's maximum size", () => {
    const capped = capDashMpd(mpd, 480);
    expect(representations(capped)).toEqual([360, 480]);
    expect(capped).toContain('maxWidth="854" maxHeight="480"');
    expect(capped).toContain('initialization="audio-en/init.mp4"');
    expect(capped).not.toContain("720p/");
    expect(capped).toMatch(/<\/Period>\s*<\/MPD>/);
  });

  it("leaves an uncapped MPD as it was", () => {
    expect(capDashMpd(mpd, UNCAPPED)).toBe(mpd);
  });
});
