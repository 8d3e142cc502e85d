import { describe, expect, it } from "vitest";
import { subtitlePlaylist, withSubtitles } from "./hls-subtitles.js";
import { defaultLabel } from "./subtitles.js";
import { checkWebVtt, decodeSubtitleText, srtToWebVtt, SubtitleFormatError } from "./subtitle-format.js";

describe("subtitle files", () => {
  it("converts SRT to WebVTT", () => {
    const srt = "\uFEFF1\r\n00:00:01,000 --> 00:00:02,500\r\nHello\r\nthere\r\n\r\n2\r\n1:02:03,5 --> 1:02:04,250\r\nBye\r\n";
    expect(srtToWebVtt(decodeSubtitleText(new TextEncoder().encode(srt)))).toBe(
      "WEBVTT\n\n00:00:01.000 --> 00:00:02.500\nHello\nthere\n\n01:02:03.500 --> 01:02:04.250\nBye\n",
    );
  });

  it("refuses what players could not read", () => {
    expect(() => srtToWebVtt("just some text")).toThrow(SubtitleFormatError);
    expect(() => checkWebVtt("00:00:01.000 --> 00:00:02.000\nno header")).toThrow(/must start with the line `WEBVTT`/);
    expect(() => decodeSubtitleText(new Uint8Array([0xff, 0xfe, 0x00]))).toThrow(/not UTF-8/);
    expect(checkWebVtt("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nHi")).toBe("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nHi\n");
  });

  it("labels tracks from their language", () => {
    expect(defaultLabel("en", false)).toBe("English");
    expect(defaultLabel("es-419", true)).toBe("Latin American Spanish (CC)");
  });
});

describe("subtitles in the HLS master", () => {
  const master = '#EXTM3U\n#EXT-X-INDEPENDENT-SEGMENTS\n#EXT-X-STREAM-INF:BANDWIDTH=900000,RESOLUTION=640x360\n360p/playlist.m3u8\n#EXT-X-STREAM-INF:BANDWIDTH=2400000,RESOLUTION=1280x720\n720p/playlist.m3u8\n';

  it("lists a subtitle rendition and names its group on every variant, idempotently", () => {
    const once = withSubtitles(master, [{ language: "fr", name: "French", uri: "subtitles/fr.m3u8", closedCaptions: false }]);
    expect(once).toBe(
      '#EXTM3U\n#EXT-X-INDEPENDENT-SEGMENTS\n#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subs",NAME="French",LANGUAGE="fr",DEFAULT=NO,AUTOSELECT=YES,FORCED=NO,URI="subtitles/fr.m3u8"\n' +
        '#EXT-X-STREAM-INF:BANDWIDTH=900000,RESOLUTION=640x360,SUBTITLES="subs"\n360p/playlist.m3u8\n#EXT-X-STREAM-INF:BANDWIDTH=2400000,RESOLUTION=1280x720,SUBTITLES="subs"\n720p/playlist.m3u8\n',
    );
    expect(withSubtitles(once, [{ language: "fr", name: "French", uri: "subtitles/fr.m3u8", closedCaptions: false }])).toBe(once);
  });

  it("joins the encoder's own subtitles group", () => {
    const packaged = '#EXTM3U\n#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="text",NAME="English",LANGUAGE="en",URI="subtitles/en.m3u8"\n#EXT-X-STREAM-INF:BANDWIDTH=1,SUBTITLES="text"\na.m3u8\n';
    const out = withSubtitles(packaged, [{ language: "de", name: "German", uri: "subtitles/de.m3u8", closedCaptions: true }]);
    expect(out).toContain('GROUP-ID="text",NAME="German"');
    expect(out).toContain("public.accessibility.describes-music-and-sound");
    expect(out).toContain('LANGUAGE="en"');
    expect(out.match(/SUBTITLES="text"/g)).toHaveLength(1);
  });

  it("writes a one-segment WebVTT playlist", () => {
    expect(subtitlePlaylist("fr.vtt", 61.2)).toContain("#EXT-X-TARGETDURATION:62\n#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-PLAYLIST-TYPE:VOD\n#EXTINF:62.000,\nfr.vtt\n#EXT-X-ENDLIST");
  });
});
