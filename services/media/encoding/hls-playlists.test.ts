import { describe, expect, it } from "vitest";
import { writeMasterPlaylist } from "./hls-master-playlist.js";
import { parseMediaPlaylist, targetDuration, writeMediaPlaylist } from "./hls-media-playlist.js";

describe("media playlists", () => {
  const ffmpegWrote = [
    "#EXTM3U",
    "#EXT-X-VERSION:6",
    "#EXT-X-TARGETDURATION:4",
    "#EXT-X-MEDIA-SEQUENCE:1",
    '#EXT-X-MAP:URI="stream2/init.mp4"',
    "#EXTINF:3.946667,",
    "#EXT-X-PROGRAM-DATE-TIME:2026-11-21T09:46:55.000+0000",
    "stream2/seg-00001.m4s",
    "#EXTINF:4.010667,",
    "stream2/seg-00002.m4s",
    "#EXT-X-ENDLIST",
  ].join("\n");

  it("reads the init segment and each segment's duration from what ffmpeg's dash muxer writes", () => {
    expect(parseMediaPlaylist(ffmpegWrote)).toEqual({
      initUri: "stream2/init.mp4",
      segments: [
        { uri: "stream2/seg-00001.m4s", durationSeconds: 3.946667 },
        { uri: "stream2/seg-00002.m4s", durationSeconds: 4.010667 },
      ],
    });
  });

  it("writes a VOD playlist whose target duration bounds every rounded EXTINF", () => {
    const text = writeMediaPlaylist({ initUri: "init.mp4", segments: [{ uri: "a.m4s", durationSeconds: 4.004 }, { uri: "b.m4s", durationSeconds: 2.5 }] });
    expect(text).toBe(
      [
        "#EXTM3U",
        "#EXT-X-VERSION:7",
        "#EXT-X-TARGETDURATION:4",
        "#EXT-X-MEDIA-SEQUENCE:0",
        "#EXT-X-PLAYLIST-TYPE:VOD",
        "#EXT-X-INDEPENDENT-SEGMENTS",
        '#EXT-X-MAP:URI="init.mp4"',
        "#EXTINF:4.004000,",
        "a.m4s",
        "#EXTINF:2.500000,",
        "b.m4s",
        "#EXT-X-ENDLIST",
        "",
      ].join("\n"),
    );
    expect(targetDuration([{ uri: "x", durationSeconds: 4.6 }])).toBe(5);
    expect(parseMediaPlaylist(text).segments).toHaveLength(2);
  });
});

describe("writeMasterPlaylist", () => {
  it("lists audio and subtitle groups and every rung with measured bandwidths, sorted by bandwidth", () => {
    const text = writeMasterPlaylist({
      variants: [
        { uri: "720p/index.m3u8", bandwidth: 6_100_000, averageBandwidth: 5_100_000, width: 1280, height: 720, frameRate: 30000 / 1001, codecs: ["avc1.64001f", "mp4a.40.2"] },
        { uri: "360p/index.m3u8", bandwidth: 1_300_000, averageBandwidth: 1_100_000, width: 640, height: 360, frameRate: 30000 / 1001, codecs: ["avc1.64001e", "mp4a.40.2"] },
      ],
      audio: [
        { uri: "audio-en/index.m3u8", name: "English", language: "en", channels: 2, isDefault: true },
        { uri: "audio-und/index.m3u8", name: 'The "other" one', language: "und", channels: 2, isDefault: false },
      ],
      subtitles: [{ uri: "subtitles/fr.m3u8", name: "Français", language: "fr", isDefault: false }],
    });
    expect(text).toBe(
      [
        "#EXTM3U",
        "#EXT-X-VERSION:7",
        "#EXT-X-INDEPENDENT-SEGMENTS",
        "",
        '#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="audio",NAME="English",LANGUAGE="en",DEFAULT=YES,AUTOSELECT=YES,CHANNELS="2",URI="audio-en/index.m3u8"',
        `#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="audio",NAME="The 'other' one",DEFAULT=NO,AUTOSELECT=YES,CHANNELS="2",URI="audio-und/index.m3u8"`,
        '#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subs",NAME="Français",LANGUAGE="fr",DEFAULT=NO,AUTOSELECT=YES,FORCED=NO,URI="subtitles/fr.m3u8"',
        "",
        '#EXT-X-STREAM-INF:BANDWIDTH=1300000,AVERAGE-BANDWIDTH=1100000,RESOLUTION=640x360,FRAME-RATE=29.970,CODECS="avc1.64001e,mp4a.40.2",AUDIO="audio",SUBTITLES="subs",CLOSED-CAPTIONS=NONE',
        "360p/index.m3u8",
        '#EXT-X-STREAM-INF:BANDWIDTH=6100000,AVERAGE-BANDWIDTH=5100000,RESOLUTION=1280x720,FRAME-RATE=29.970,CODECS="avc1.64001f,mp4a.40.2",AUDIO="audio",SUBTITLES="subs",CLOSED-CAPTIONS=NONE',
        "720p/index.m3u8",
        "",
      ].join("\n"),
    );
  });

  it("leaves out the groups a video has none of", () => {
    const text = writeMasterPlaylist({
      variants: [{ uri: "360p/index.m3u8", bandwidth: 1, averageBandwidth: 1, width: 640, height: 360, frameRate: 25, codecs: ["avc1.64001e"] }],
      audio: [],
      subtitles: [],
    });
    expect(text).not.toContain("EXT-X-MEDIA");
    expect(text).toContain('#EXT-X-STREAM-INF:BANDWIDTH=1,AVERAGE-BANDWIDTH=1,RESOLUTION=640x360,FRAME-RATE=25.000,CODECS="avc1.64001e",CLOSED-CAPTIONS=NONE\n');
  });
});
