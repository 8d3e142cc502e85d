// The Cinemesh web player: starts a playback session through the edge's REST API, plays the signed
// HLS master with hls.js from the resume position, and reports back what the platform needs:
// progress (resume + history), heartbeats (view counting) and QoE beacons (startup, stalls,
// bitrate switches, errors). Configured by the query string:
//   ?api=<edge base URL>&token=<access token>&profile=<profile id>&video=<video id>[&report=<seconds>]
const params = new URLSearchParams(location.search);
const api = params.get("api");
const token = params.get("token");
const profile = params.get("profile");
const videoId = params.get("video");
const reportEvery = Number(params.get("report") ?? "10") * 1000;

const video = document.getElementById("video");
const status = document.getElementById("status");
/** What a test (or a curious engineer) can read from the console: window.cinemesh. */
const state = (window.cinemesh = { session: null, levels: [], error: null, startupMs: null, reports: { progress: 0, heartbeat: 0, qoe: 0 } });

const call = async (method, path, body) => {
  const res = await fetch(`${api}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "profile-id": profile, ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${json.message ?? ""}`);
  return json;
};

const qoe = { rebufferCount: 0, rebufferMs: 0, switches: 0, errors: [], playedMs: 0, bitrateMs: 0, stallStart: null, lastTick: null, startupSent: false };

async function main() {
  const requested = performance.now();
  const session = await call("GET", `/api/v1/video/${videoId}/play`);
  state.session = session;
  const hls = new Hls({ startPosition: session.resumePosition ?? 0 });
  hls.on(Hls.Events.MANIFEST_PARSED, (_e, data) => {
    state.levels = data.levels.map((l) => ({ width: l.width, height: l.height, bitrate: l.bitrate }));
  });
  hls.on(Hls.Events.LEVEL_SWITCHED, () => qoe.switches++);
  hls.on(Hls.Events.ERROR, (_e, data) => {
    qoe.errors.push({ code: String(data.details).slice(0, 100), message: String(data.reason ?? data.error?.message ?? "").slice(0, 1000), fatal: !!data.fatal, positionSeconds: Math.floor(video.currentTime) });
    if (data.fatal) state.error = `${data.type}: ${data.details}`;
  });
  video.addEventListener("playing", () => {
    if (state.startupMs === null) state.startupMs = Math.round(performance.now() - requested);
    if (qoe.stallStart !== null) {
      qoe.rebufferMs += performance.now() - qoe.stallStart;
      qoe.stallStart = null;
    }
  });
  video.addEventListener("waiting", () => {
    if (state.startupMs !== null && qoe.stallStart === null) {
      qoe.rebufferCount++;
      qoe.stallStart = performance.now();
    }
  });
  hls.loadSource(session.hlsManifestUrl);
  hls.attachMedia(video);
  await video.play().catch(() => undefined);

  // Played time (not paused, not stalled) and the bitrate it was played at, measured each tick.
  setInterval(() => {
    const now = performance.now();
    if (qoe.lastTick !== null && !video.paused && qoe.stallStart === null) {
      const dt = now - qoe.lastTick;
      qoe.playedMs += dt;
      qoe.bitrateMs += dt * (hls.levels[hls.currentLevel]?.bitrate ?? 0);
    }
    qoe.lastTick = now;
    status.textContent = `${video.currentTime.toFixed(1)} s · ${hls.levels[hls.currentLevel]?.height ?? "?"}p · ${state.levels.length} levels`;
  }, 250);

  let lastPlayedMs = 0;
  let lastBitrateMs = 0;
  state.report = report;
  setInterval(() => void report(false), reportEvery);
  addEventListener("pagehide", () => void report(true));

  async function report(final) {
    const position = Math.floor(video.currentTime);
    const duration = Math.round(video.duration || session.durationSeconds || 0);
    const played = qoe.playedMs - lastPlayedMs;
    const bitrateMs = qoe.bitrateMs - lastBitrateMs;
    lastPlayedMs = qoe.playedMs;
    lastBitrateMs = qoe.bitrateMs;
    const beacon = {
      videoId,
      sessionId: session.sessionId,
      startupTimeMs: !qoe.startupSent && state.startupMs !== null ? state.startupMs : 0,
      rebufferCount: qoe.rebufferCount,
      rebufferDurationMs: Math.round(qoe.rebufferMs),
      bitrateSwitches: qoe.switches,
      errors: qoe.errors.splice(0, 100),
      playedDurationMs: Math.round(played),
      averageBitrate: played > 0 ? Math.round(bitrateMs / played) : 0,
      deviceType: "web",
      player: `hls.js ${Hls.version}`,
      final,
    };
    qoe.startupSent ||= beacon.startupTimeMs > 0;
    qoe.rebufferCount = 0;
    qoe.rebufferMs = 0;
    qoe.switches = 0;
    const sends = [
      call("POST", "/api/v1/analytics/qoe", beacon).then(() => state.reports.qoe++),
      call("POST", `/api/v1/video/${videoId}/heartbeat`, { sessionId: session.sessionId, positionSeconds: position, playedSeconds: Math.min(600, Math.round(played / 1000)) }).then(() => state.reports.heartbeat++),
    ];
    if (duration > 0) sends.push(call("POST", `/api/v1/video/${videoId}/progress`, { position, duration }).then(() => state.reports.progress++));
    const results = await Promise.allSettled(sends);
    for (const r of results) if (r.status === "rejected") console.warn(r.reason);
    return results.every((r) => r.status === "fulfilled");
  }
}

main().catch((err) => {
  state.error = String(err.message ?? err);
  status.textContent = state.error;
});
