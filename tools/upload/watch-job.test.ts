import { Code, ConnectError, createClient, createRouterTransport, type HandlerContext } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { EncodingJobStatus } from "../../gen/cinemesh/common/v1/enums_pb.js";
import { MediaService, type WatchJobRequest } from "../../gen/cinemesh/media/v1/media_pb.js";
import { followJob } from "./watch-job.js";

const JOB = "2b0c9a3e-5d4f-4e6a-8b7c-1d2e3f4a5b6c";

/** A MediaService whose WatchJob plays one scripted stream per call: messages, then an error or the end. */
function mediaWith(calls: Array<{ percents: number[]; status?: EncodingJobStatus; thenThrow?: ConnectError }>) {
  const seen: Array<{ jobId: string; authorization: string | null }> = [];
  const transport = createRouterTransport(({ service }) =>
    service(MediaService, {
      async *watchJob(req: WatchJobRequest, ctx: HandlerContext) {
        seen.push({ jobId: req.jobId, authorization: ctx.requestHeader.get("authorization") });
        const script = calls[seen.length - 1];
        if (script === undefined) throw new ConnectError("no more scripted calls", Code.FailedPrecondition);
        for (const [i, percent] of script.percents.entries()) {
          const last = i === script.percents.length - 1;
          yield { jobId: req.jobId, percent, status: last && script.status !== undefined ? script.status : EncodingJobStatus.PROCESSING };
        }
        if (script.thenThrow) throw script.thenThrow;
      },
    }),
  );
  return { client: createClient(MediaService, transport), seen };
}

const noSleep = async () => {};

describe("following an encoding job", () => {
  it("follows one stream to the job's end, sending the token", async () => {
    const { client, seen } = mediaWith([{ percents: [0, 40, 100], status: EncodingJobStatus.COMPLETED }]);
    const percents: number[] = [];
    const last = await followJob({ client, jobId: JOB, token: "tok", onUpdate: (u) => percents.push(u.percent), sleep: noSleep });
    expect(last.status).toBe(EncodingJobStatus.COMPLETED);
    expect(percents).toEqual([0, 40, 100]);
    expect(seen).toEqual([{ jobId: JOB, authorization: "Bearer tok" }]);
  });

  it("watches again after the server's deadline, a replica going away, or a stream that ends early", async () => {
    const { client, seen } = mediaWith([
      { percents: [10, 20], thenThrow: new ConnectError("deadline", Code.DeadlineExceeded) },
      { percents: [20, 30], thenThrow: new ConnectError("server shutting down", Code.Unavailable) },
      { percents: [30] },
      { percents: [30, 60, 100], status: EncodingJobStatus.FAILED },
    ]);
    const percents: number[] = [];
    const reconnects: string[] = [];
    const last = await followJob({
      client,
      jobId: JOB,
      token: "tok",
      onUpdate: (u) => percents.push(u.percent),
      onReconnect: (err) => reconnects.push(Code[err.code]),
      sleep: noSleep,
    });
    expect(last.status).toBe(EncodingJobStatus.FAILED);
    expect(percents).toEqual([10, 20, 20, 30, 30, 30, 60, 100]);
    expect(reconnects).toEqual(["DeadlineExceeded", "Unavailable", "Unavailable"]);
    expect(seen).toHaveLength(4);
  });

  it("stops at once on an error watching again cannot fix", async () => {
    const { client, seen } = mediaWith([{ percents: [], thenThrow: new ConnectError("admin role required", Code.PermissionDenied) }]);
    await expect(followJob({ client, jobId: JOB, token: "tok", onUpdate: () => {}, sleep: noSleep })).rejects.toMatchObject({ code: Code.PermissionDenied });
    expect(seen).toHaveLength(1);
  });

  it("gives up once the retry delays are used up without a single message", async () => {
    const down = () => ({ percents: [], thenThrow: new ConnectError("no healthy upstream", Code.Unavailable) });
    const { client, seen } = mediaWith([down(), down(), down(), down()]);
    const slept: number[] = [];
    const watching = followJob({ client, jobId: JOB, token: "tok", onUpdate: () => {}, retryDelaysMs: [0, 100, 200], sleep: async (ms) => void slept.push(ms) });
    await expect(watching).rejects.toMatchObject({ code: Code.Unavailable });
    expect(slept).toEqual([0, 100, 200]);
    expect(seen).toHaveLength(4);
  });
});
