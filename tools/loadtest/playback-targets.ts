import type { ViewerIdentity } from "./playback-fixture.js";
import type { PlaybackTarget } from "./viewers.js";

/** The mesh: each viewer starts a playback session at the edge and reports its progress there. */
export function meshTarget(edgeUrl: string, videoId: string, viewers: ViewerIdentity[]): PlaybackTarget {
  const headers = (i: number) => ({ authorization: `Bearer ${viewers[i % viewers.length]!.token}`, "profile-id": viewers[i % viewers.length]!.profileId });
  return {
    async openSession(i, http) {
      const res = await http("play", new URL(`/api/v1/video/${videoId}/play`, edgeUrl), { headers: headers(i), keepText: true });
      return res === undefined ? undefined : new URL((JSON.parse(res.text!) as { hlsManifestUrl: string }).hlsManifestUrl);
    },
    async reportProgress(i, http, position, duration) {
      await http("progress", new URL(`/api/v1/video/${videoId}/progress`, edgeUrl), {
        method: "POST",
        headers: { ...headers(i), "content-type": "application/json" },
        body: JSON.stringify({ position, duration }),
        keepText: true,
      });
    },
  };
}

/** A plain file server holding the same objects: no session, no progress, the master at a fixed URL. */
export function fileServerTarget(baseUrl: string, masterKey: string): PlaybackTarget {
  return {
    openSession: async () => new URL(masterKey, baseUrl),
    reportProgress: async () => {},
  };
}
