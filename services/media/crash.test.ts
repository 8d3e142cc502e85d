import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listKeys } from "./testing/clients.js";
import { createFakeEncoder } from "./testing/fake-encoder.js";
import { startMediaHarness, type MediaHarness } from "./testing/harness.js";
import { makeVideo } from "./testing/media-files.js";

const WORKER_MAIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../dist/services/media/worker-main.js");

/**
 * A worker process killed with SIGKILL in the middle of an encode (no ack, no release, no
 * goodbye): once its heartbeats stop, the job goes to another worker, which takes it over and
 * finishes it. The killed one runs the compiled worker-main with the real encoder, as `npm start`
 * runs it; the survivor runs in-process.
 */
describe("a crashed encoding worker", () => {
  let h: MediaHarness;
  let media: string;

  beforeAll(async () => {
    h = await startMediaHarness({ MEDIA_ACK_WAIT_MS: "2000" });
    media = (await h.startMedia()).url;
  });

  afterAll(async () => {
    await h?.close();
  });

  it("leaves its job to be redelivered and completed by another worker, the killed attempt counted", async () => {
    const file = path.join(h.dataDir, "long.mp4");
    await makeVideo(file, { width: 640, height: 360, seconds: 20 });
    // Its own process group, so the kill takes its ffmpeg too, as a dying container would.
    const child = spawn(process.execPath, [WORKER_MAIN], { env: { ...process.env, ...h.env, LOG_LEVEL: "silent" } as NodeJS.ProcessEnv, stdio: "ignore", detached: true });
    const exited = new Promise((r) => child.once("exit", r));
    const killAll = () => {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // already gone
      }
    };
    try {
      const form = new FormData();
      form.set("video", new Blob([await readFile(file)], { type: "video/mp4" }), "long.mp4");
      const res = await fetch(`${media}/api/v1/admin/content/${h.catalog.addTitle().contentId}/video`, { method: "POST", body: form, headers: await h.adminHeaders() });
      const { videoId, encodingJobId: jobId } = (await res.json()) as { videoId: string; encodingJobId: string };
      await h.waitForJob(jobId, (j) => j.status === "PROCESSING" && j.renditions.some((r) => r.state === "ENCODING"));
      killAll();
      await exited;

      const survivor = createFakeEncoder();
      const worker = await h.startWorker(survivor);
      const job = await h.waitForJob(jobId, (j) => j.status === "COMPLETED");
      expect(job.attempts).toBe(2);
      expect(survivor.calls).toBe(1);
      expect(h.catalog.recorded.filter((r) => r.videoId === videoId)).toHaveLength(1);
      const keys = await listKeys(h.objects, `videos/${videoId}/`);
      expect(keys.every((k) => k.startsWith(`videos/${videoId}/${jobId}/`))).toBe(true);
      expect(keys).toHaveLength(13); // exactly the survivor's outputs
      await worker.stop();
    } finally {
      killAll();
    }
  }, 120_000);
});
