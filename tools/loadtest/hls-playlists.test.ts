import { describe, expect, it } from "vitest";
import { parseHlsMaster, parseHlsMedia } from "./hls-playlists.js";

describe("HLS playlists as the load benchmark's viewers read them", () => {
  it("finds every variant and the audio rendition of a master", () => {
    const master = [
      "#EXTM3U",
      "#EXT-X-VERSION:7",
      '#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="audio",NAME="English",LANGUAGE="en",DEFAULT=YES,URI="audio-en/index.m3u8"',
      '#EXT-X-STREAM-INF:BANDWIDTH=900000,RESOLUTION=640x360,AUDIO="audio"',
      "360p/index.m3u8",
      '#EXT-X-STREAM-INF:BANDWIDTH=5000000,RESOLUTION=1280x720,AUDIO="audio"',
      "720p/index.m3u8",
      "",
    ].join("\n");
    expect(parseHlsMaster(master)).toEqual({ variants: ["360p/index.m3u8", "720p/index.m3u8"], audio: ["audio-en/index.m3u8"] });
  });

  it("reads the init segment and each segment with its duration from a media playlist", () => {
    const media = ["#EXTM3U", "#EXT-X-TARGETDURATION:4", '#EXT-X-MAP:URI="init.mp4"', "#EXTINF:4.000000,", "seg-00001.m4s", "#EXTINF:2.5,", "seg-00002.m4s", "#EXT-X-ENDLIST"].join("\r\n");
    expect(parseHlsMedia(media)).toEqual({ init: "init.mp4", segments: [{ uri: "seg-00001.m4s", seconds: 4 }, { uri: "seg-00002.m4s", seconds: 2.5 }] });
  });

  it("refuses what a player could not play", () => {
    expect(() => parseHlsMaster("#EXTM3U\n")).toThrow(/no variant/);
    expect(() => parseHlsMedia("#EXTM3U\n#EXTINF:4,\nseg-00001.ts\n")).toThrow(/not an fMP4/);
  });
});
