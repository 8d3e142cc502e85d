import { create } from "@bufbuild/protobuf";
import type { Client } from "@connectrpc/connect";
import { RecordRenditionsRequestSchema, type CatalogService } from "../../gen/cinemesh/catalog/v1/catalog_pb.js";
import { VideoStatus } from "../../gen/cinemesh/catalog/v1/catalog_types_pb.js";
import type { EncodingOutcome, SubtitleFile } from "./model.js";
import { audioTrackMessage, subtitleMessage, videoFileMessage } from "./to-proto.js";

/** Supplies the `authorization` header of a catalog call (an admin's, or the worker's service token). */
export type Authorization = () => Promise<string | undefined>;

/** What media asks of the catalog, in media's terms. */
export interface CatalogPort {
  /** The video of a slot (the movie's feature, or an episode), created when missing. */
  ensureVideo(slot: { contentId: string; seasonNumber?: number; episodeNumber?: number; title: string }, auth: Authorization): Promise<{ videoId: string }>;
  /** Records a job's outcome; the video becomes playable. Idempotent per job. */
  recordRenditions(videoId: string, jobId: string, outcome: EncodingOutcome, auth: Authorization): Promise<void>;
  /** Where a job of the video stands while it has no renditions recorded: encoding, or failed for good. */
  setEncodingStatus(videoId: string, jobId: string, status: "PROCESSING" | "FAILED", auth: Authorization): Promise<void>;
  /** Adds (or replaces) a subtitle track; resolves to the catalog's id of it. */
  addSubtitle(videoId: string, subtitle: SubtitleFile, auth: Authorization): Promise<{ subtitleId: string }>;
}

export function catalogPort(client: Client<typeof CatalogService>): CatalogPort {
  const headers = async (auth: Authorization) => {
    const value = await auth();
    return value === undefined ? undefined : { authorization: value };
  };
  return {
    async ensureVideo(slot, auth) {
      const res = await client.ensureVideo(
        { contentId: slot.contentId, seasonNumber: slot.seasonNumber, episodeNumber: slot.episodeNumber, title: slot.title },
        { headers: await headers(auth) },
      );
      if (res.video === undefined) throw new Error("catalog EnsureVideo answered without a video");
      return { videoId: res.video.videoId };
    },

    async recordRenditions(videoId, jobId, o, auth) {
      const req = create(RecordRenditionsRequestSchema, {
        videoId,
        encodingJobId: jobId,
        durationSeconds: Math.max(1, Math.round(o.durationSeconds)),
        renditions: o.renditions.map((r) => videoFileMessage(videoId, r)),
        audioTracks: o.audioTracks.map((a) => audioTrackMessage(videoId, a)),
        // The encoder extracts no subtitles from the source; the uploaded ones went through AddSubtitle.
        subtitles: [],
        hlsManifestPath: o.hlsManifestKey,
        dashManifestPath: o.dashManifestKey,
        trickplayVttPath: o.trickplayVttKey,
        previewPath: o.previewKey,
        // An object key: the media origin (playback) turns keys into signed URLs.
        thumbnailUrl: o.thumbnailKeys[0] ?? "",
      });
      await client.recordRenditions(req, { headers: await headers(auth) });
    },

    async setEncodingStatus(videoId, jobId, status, auth) {
      await client.setVideoEncodingStatus(
        { videoId, encodingJobId: jobId, status: status === "PROCESSING" ? VideoStatus.PROCESSING : VideoStatus.FAILED },
        { headers: await headers(auth) },
      );
    },

    async addSubtitle(videoId, s, auth) {
      const res = await client.addSubtitle({ videoId, subtitle: subtitleMessage(videoId, s) }, { headers: await headers(auth) });
      return { subtitleId: res.subtitle?.subtitleId ?? "" };
    },
  };
}
