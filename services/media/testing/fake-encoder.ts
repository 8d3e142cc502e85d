import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { EncodeRequest, EncodeResult, Encoder } from "../encoder.js";

/**
 * A TEST DOUBLE FOR THE ENCODER ONLY (ffmpeg is slow; these tests are about the orchestration
 * around it). It reports progress like the real one, writes a small fake ladder into the work
 * dir, and can be held half-way (to kill or watch a worker mid-job) or made to fail.
 */
export interface FakeEncoder extends Encoder {
  /** encode() calls so far. */
  calls: number;
  /** Resolves when an encode is half-way and waiting to be let go (only when holding). */
  halfway(): Promise<void>;
  /** Lets every held encode (now and later) finish. */
  letGo(): void;
}

export function createFakeEncoder(options: { hold?: boolean; fail?: string; renditions?: string[] } = {}): FakeEncoder {
  const names = options.renditions ?? ["360p", "720p"];
  let letGo!: () => void;
  const gate = new Promise<void>((r) => (letGo = r));
  let reached!: () => void;
  let halfway = new Promise<void>((r) => (reached = r));
  const fake: FakeEncoder = {
    calls: 0,
    halfway: () => halfway,
    letGo: () => letGo(),
    probe: async () => ({}),
    async encode(req: EncodeRequest): Promise<EncodeResult> {
      fake.calls++;
      const report = (rendition: string, state: "queued" | "encoding" | "packaging" | "done", percent: number) =>
        req.onProgress?.({ rendition, kind: "video", state, percent, speed: 2, etaSeconds: Math.round((100 - percent) / 10) });
      for (const n of names) report(n, "queued", 0);
      for (const n of names) report(n, "encoding", 50);
      req.signal?.throwIfAborted();
      if (options.fail !== undefined) throw new Error(options.fail);
      if (options.hold) {
        const arrived = reached;
        halfway = new Promise<void>((r) => (reached = r));
        arrived();
        await Promise.race([gate, aborted(req.signal)]);
      }
      for (const n of names) report(n, "packaging", 50);
      const result = await writeLadder(req.workDir, names);
      for (const n of names) report(n, "done", 100);
      return result;
    },
  };
  return fake;
}

function aborted(signal: AbortSignal | undefined): Promise<never> {
  return new Promise((_, reject) => {
    if (signal === undefined) return;
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener("abort", () => reject(signal.reason), { once: true });
  });
}

async function writeLadder(dir: string, names: string[]): Promise<EncodeResult> {
  const file = async (rel: string, body: string) => {
    await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await writeFile(path.join(dir, rel), body);
  };
  const renditions = [];
  for (const name of names) {
    const height = Number(name.replace("p", ""));
    await file(`${name}/init.mp4`, "init");
    await file(`${name}/seg_00001.m4s`, "segment-1");
    await file(`${name}/playlist.m3u8`, `#EXTM3U\n#EXT-X-MAP:URI="init.mp4"\n#EXTINF:1.0,\nseg_00001.m4s\n#EXT-X-ENDLIST\n`);
    renditions.push({ name, width: Math.round((height * 16) / 9), height, bitrate: 1_500_000, averageBitrate: 1_000_000, codec: "avc1.64001f", frameRate: 25, playlist: `${name}/playlist.m3u8`, sizeBytes: 13 });
  }
  await file("audio/playlist.m3u8", "#EXTM3U\n");
  const variants = names.map((n) => `#EXT-X-STREAM-INF:BANDWIDTH=1500000,AUDIO="aud"\n${n}/playlist.m3u8`).join("\n");
  await file("master.m3u8", `#EXTM3U\n#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aud",NAME="English",URI="audio/playlist.m3u8"\n${variants}\n`);
  await file("manifest.mpd", "<MPD/>");
  await file("thumbnails/thumb_0001.jpg", "jpg");
  await file("trickplay/sprite.jpg", "jpg");
  await file("trickplay/index.vtt", "WEBVTT\n");
  await file("preview.mp4", "mp4");
  return {
    durationSeconds: 1,
    renditions,
    audioTracks: [{ language: "en", label: "English", channels: 2, codec: "mp4a.40.2", bitrate: 64_000, isDefault: true, playlist: "audio/playlist.m3u8" }],
    subtitles: [],
    hlsMaster: "master.m3u8",
    dashManifest: "manifest.mpd",
    thumbnails: ["thumbnails/thumb_0001.jpg"],
    trickplay: { sprite: "trickplay/sprite.jpg", vtt: "trickplay/index.vtt", intervalSeconds: 10 },
    preview: "preview.mp4",
  };
}
