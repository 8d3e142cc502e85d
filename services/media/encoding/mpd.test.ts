import { describe, expect, it } from "vitest";
import { patchMpd } from "./mpd.js";

/** Trimmed from what ffmpeg 5.1's dash muxer writes for one AdaptationSet per stream. */
const ffmpegMpd = `<?xml version="1.0" encoding="utf-8"?>
<MPD xmlns="urn:mpeg:dash:schema:mpd:2011" profiles="urn:mpeg:dash:profile:isoff-live:2011" type="static" mediaPresentationDuration="PT8.0S" maxSegmentDuration="PT4.0S" minBufferTime="PT8.0S">
	<Period id="0" start="PT0.0S">
		<AdaptationSet id="0" contentType="video" startWithSAP="1" segmentAlignment="true" bitstreamSwitching="true" frameRate="25/1" maxWidth="640" maxHeight="360" par="16:9">
			<Representation id="0" mimeType="video/mp4" codecs="avc1.64001e" bandwidth="1000000" width="640" height="360" sar="1:1">
				<SegmentTemplate timescale="12800" initialization="stream$RepresentationID$/init.mp4" media="stream$RepresentationID$/seg-$Number%05d$.m4s" startNumber="1">
					<SegmentTimeline><S t="0" d="51200" r="1" /></SegmentTimeline>
				</SegmentTemplate>
			</Representation>
		</AdaptationSet>
		<AdaptationSet id="1" contentType="video" startWithSAP="1" segmentAlignment="true" bitstreamSwitching="true" frameRate="25/1" maxWidth="854" maxHeight="480" par="427:240">
			<Representation id="1" mimeType="video/mp4" codecs="avc1.64001e" bandwidth="2000000" width="854" height="480" sar="1:1">
				<SegmentTemplate timescale="12800" initialization="stream$RepresentationID$/init.mp4" media="stream$RepresentationID$/seg-$Number%05d$.m4s" startNumber="1">
					<SegmentTimeline><S t="0" d="51200" r="1" /></SegmentTimeline>
				</SegmentTemplate>
			</Representation>
		</AdaptationSet>
		<AdaptationSet id="2" contentType="video" startWithSAP="1" segmentAlignment="true" bitstreamSwitching="true" frameRate="25/1" maxWidth="3840" maxHeight="2160" par="16:9">
			<Representation id="2" mimeType="video/mp4" codecs="hvc1" bandwidth="25000000" width="3840" height="2160" sar="1:1">
				<SegmentTemplate timescale="12800" initialization="stream$RepresentationID$/init.mp4" media="stream$RepresentationID$/seg-$Number%05d$.m4s" startNumber="1" />
			</Representation>
		</AdaptationSet>
		<AdaptationSet id="3" contentType="audio" startWithSAP="1" segmentAlignment="true" bitstreamSwitching="true" lang="fre">
			<Representation id="3" mimeType="audio/mp4" codecs="mp4a.40.2" bandwidth="128000" audioSamplingRate="48000">
				<AudioChannelConfiguration schemeIdUri="urn:mpeg:dash:23003:3:audio_channel_configuration:2011" value="2" />
				<SegmentTemplate timescale="48000" initialization="stream$RepresentationID$/init.mp4" media="stream$RepresentationID$/seg-$Number%05d$.m4s" startNumber="1" />
			</Representation>
		</AdaptationSet>
	</Period>
</MPD>
`;

const patched = patchMpd(ffmpegMpd, {
  representations: [
    { id: "0", directory: "360p", codecs: "avc1.64001e", bandwidth: 1_028_000 },
    { id: "1", directory: "480p", codecs: "avc1.64001f", bandwidth: 2_005_000 },
    { id: "2", directory: "2160p", codecs: "hvc1.1.6.L150.90", bandwidth: 24_000_000 },
    { id: "3", directory: "audio-fr", codecs: "mp4a.40.2", bandwidth: 130_000 },
  ],
  switchingSets: [["0", "1"], ["2"]],
  subtitles: [{ language: "en", label: "English <CC>", uri: "subtitles/en.vtt" }],
});

const sets = [...patched.matchAll(/<AdaptationSet\b([^>]*)>([\s\S]*?)<\/AdaptationSet>/g)].map((m) => ({
  attrs: m[1]!,
  representations: [...m[2]!.matchAll(/<Representation id="([^"]+)"([^>]*)>/g)].map((r) => ({ id: r[1]!, attrs: r[2]! })),
  body: m[2]!,
}));

describe("patchMpd", () => {
  it("gathers the H.264 rungs into one switching set, keeps HEVC and each audio language apart, adds subtitles", () => {
    expect(sets.map((s) => s.representations.map((r) => r.id))).toEqual([["0", "1"], ["2"], ["3"], ["subtitle-0"]]);
    expect(sets.map((s) => /id="(\d+)"/.exec(s.attrs)?.[1])).toEqual(["0", "1", "2", "3"]);
  });

  it("describes the merged set by its largest rung, without a single aspect ratio, and not bitstream-switchable", () => {
    expect(sets[0]!.attrs).toContain('maxWidth="854" maxHeight="480"');
    expect(sets[0]!.attrs).not.toContain("par=");
    expect(sets[0]!.attrs).toContain('bitstreamSwitching="false"');
    expect(sets[1]!.attrs).toContain('bitstreamSwitching="true"');
  });

  it("points segments at the renamed folders and writes measured codecs and bandwidths", () => {
    expect(patched).not.toContain("$RepresentationID$");
    expect(sets[0]!.body).toContain('initialization="480p/init.mp4" media="480p/seg-$Number%05d$.m4s"');
    expect(sets[1]!.representations[0]!.attrs).toContain('codecs="hvc1.1.6.L150.90" bandwidth="24000000"');
    expect(sets[0]!.representations[1]!.attrs).toContain('codecs="avc1.64001f" bandwidth="2005000"');
  });

  it("writes languages as BCP 47 and escapes labels", () => {
    expect(sets[2]!.attrs).toContain('lang="fr"');
    expect(sets[3]!.attrs).toContain('contentType="text" mimeType="text/vtt" lang="en"');
    expect(sets[3]!.body).toContain("<Label>English &lt;CC&gt;</Label>");
    expect(sets[3]!.body).toContain("<BaseURL>subtitles/en.vtt</BaseURL>");
    expect(patched.trimEnd().endsWith("</Period>\n</MPD>")).toBe(true);
  });

  it("refuses a Representation it has no data for", () => {
    expect(() => patchMpd(ffmpegMpd, { representations: [], switchingSets: [], subtitles: [] })).toThrow(/did not plan/);
  });
});
