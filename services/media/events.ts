import { create, toBinary, type DescMessage, type MessageShape } from "@bufbuild/protobuf";
import { VideoEncodedSchema, VideoEncodingFailedSchema, VideoUploadedSchema } from "../../gen/cinemesh/events/v1/media_events_pb.js";
import type { EventMeta } from "../../gen/cinemesh/events/v1/meta_pb.js";
import { EncodingTaskSchema } from "../../gen/cinemesh/media/v1/media_types_pb.js";
import type { DomainEvents } from "../../platform/events/domain-events.js";
import type { OutboxEvent } from "../../platform/events/outbox.js";
import type { EncodingOutcome, Job, UploadSession } from "./model.js";
import { audioTrackMessage, videoFileMessage } from "./to-proto.js";

/** Subject of the encoding work queue, inside the bus namespace. */
export function encodeTaskSubject(namespace: string): string {
  return `${namespace}.work.media.encode`;
}

/**
 * The messages media commits through its outbox: domain events (media_events.proto) and the
 * encoding task on the work queue, each serialised with its bus subject and dedup id.
 */
export class MediaMessages {
  constructor(
    private readonly events: DomainEvents,
    private readonly namespace: string,
  ) {}

  /** One task per job: its id dedups a relay that publishes twice. */
  encodeTask(job: { jobId: string; videoId: string; contentId: string; sourceObjectKey: string }): OutboxEvent {
    const task = create(EncodingTaskSchema, { ...job, attempt: 1 });
    return { subject: encodeTaskSubject(this.namespace), payload: toBinary(EncodingTaskSchema, task), msgId: `media.encode.${job.jobId}` };
  }

  videoUploaded(u: UploadSession): OutboxEvent {
    return this.event(VideoUploadedSchema, (meta) =>
      create(VideoUploadedSchema, {
        meta,
        videoId: u.videoId,
        contentId: u.contentId,
        encodingJobId: u.jobId,
        uploadId: u.uploadId,
        sourceObjectKey: u.objectKey,
        sizeBytes: BigInt(u.sizeBytes),
        filename: u.filename,
      }),
    );
  }

  videoEncoded(job: Job, outcome: EncodingOutcome): OutboxEvent {
    return this.event(
      VideoEncodedSchema,
      (meta) =>
        create(VideoEncodedSchema, {
          meta,
          videoId: job.videoId,
          contentId: job.contentId,
          jobId: job.jobId,
          durationSeconds: Math.round(outcome.durationSeconds),
          renditions: outcome.renditions.map((r) => videoFileMessage(job.videoId, r)),
          audioTracks: outcome.audioTracks.map((a) => audioTrackMessage(job.videoId, a)),
          hlsManifestPath: outcome.hlsManifestKey,
          dashManifestPath: outcome.dashManifestKey,
          encodingSeconds: Math.round(outcome.encodingSeconds),
          uploadedBy: job.createdBy,
        }),
    );
  }

  videoEncodingFailed(job: Job, reason: string): OutboxEvent {
    return this.event(
      VideoEncodingFailedSchema,
      (meta) => create(VideoEncodingFailedSchema, { meta, videoId: job.videoId, contentId: job.contentId, jobId: job.jobId, reason, uploadedBy: job.createdBy }),
    );
  }

  private event<D extends DescMessage>(desc: D, build: (meta: EventMeta) => MessageShape<D>): OutboxEvent {
    const meta = this.events.meta();
    return { subject: this.events.subjectOf(desc), payload: toBinary(desc, build(meta)), msgId: meta.eventId };
  }
}
