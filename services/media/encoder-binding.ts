import type { Logger } from "pino";
import type { Encoder } from "./encoder.js";
import { encodeVideo, probeSource } from "./encoding/pipeline.js";

/** The real encoder: ffprobe and ffmpeg through the encoding core (services/media/encoding). */
export function ffmpegEncoder(logger: Logger, { probeTimeoutMs }: { probeTimeoutMs: number }): Encoder {
  return {
    probe: (path) => probeSource(path, { timeoutMs: probeTimeoutMs }),
    encode: (req) => encodeVideo({ ...req, logger, probeTimeoutMs }),
  };
}
