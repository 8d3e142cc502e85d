import { fromBinary, toBinary } from "@bufbuild/protobuf";
import { WatchJobResponseSchema } from "../../gen/cinemesh/media/v1/media_pb.js";
import type { Bus, LiveSubscription } from "../../platform/events/bus.js";
import type { JobProgress } from "./model.js";
import { progressOfWatchMessage, watchJobMessage } from "./to-proto.js";

/**
 * Live job progress across processes: the worker publishes the job's whole snapshot (a
 * WatchJobResponse, a few hundred bytes) on `<ns>.live.media.jobs.<jobId>`, and every media replica
 * serving a WatchJob stream of that job subscribes. Whole snapshots rather than per-rendition
 * deltas, because live messages are at most once: a lost one is healed by the next.
 */
export interface LiveProgress {
  publish(jobId: string, videoId: string, progress: JobProgress): Promise<void>;
  subscribe(jobId: string, onProgress: (progress: JobProgress) => void): Promise<LiveSubscription>;
}

export function liveSubject(namespace: string, jobId: string): string {
  return `${namespace}.live.media.jobs.${jobId}`;
}

export function busLiveProgress(bus: Bus): LiveProgress {
  return {
    async publish(jobId, videoId, progress) {
      await bus.publishLive(liveSubject(bus.namespace, jobId), toBinary(WatchJobResponseSchema, watchJobMessage(jobId, videoId, progress)));
    },
    subscribe(jobId, onProgress) {
      return bus.subscribeLive(liveSubject(bus.namespace, jobId), (msg) => onProgress(progressOfWatchMessage(fromBinary(WatchJobResponseSchema, msg.data))));
    },
  };
}
