/** Subtitle files: SRT to WebVTT, and the checks that keep a broken file out of the players. */

export class SubtitleFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SubtitleFormatError";
  }
}

const SRT_TIME = /^(\d{1,2}:)?\d{2}:\d{2}[,.]\d{1,3}\s*-->\s*(\d{1,2}:)?\d{2}:\d{2}[,.]\d{1,3}/;
const VTT_TIME = /^(\d{1,2}:)?\d{2}:\d{2}\.\d{3}\s+-->\s+(\d{1,2}:)?\d{2}:\d{2}\.\d{3}/;

/** UTF-8 text of an uploaded file, without BOM and with \n line ends. */
export function decodeSubtitleText(bytes: Uint8Array): string {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new SubtitleFormatError("the file is not UTF-8 text");
  }
  return text.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
}

/** Converts SRT (numbered cues, `00:00:01,000 --> 00:00:02,500`) to WebVTT. */
export function srtToWebVtt(srt: string): string {
  const blocks = srt.trim().split(/\n{2,}/);
  const cues: string[] = [];
  for (const block of blocks) {
    const lines = block.split("\n");
    const timing = lines.findIndex((l) => SRT_TIME.test(l.trim()));
    if (timing < 0 || timing > 1) continue;
    const time = lines[timing].trim().replace(/(\d),(\d)/g, "$1.$2");
    const [start, end] = time.split(/\s*-->\s*/);
    const text = lines.slice(timing + 1).join("\n").trim();
    if (text === "") continue;
    cues.push(`${padTime(start)} --> ${padTime(end)}\n${text}`);
  }
  if (cues.length === 0) throw new SubtitleFormatError("no SRT cues found (expected blocks like `1` / `00:00:01,000 --> 00:00:02,000` / text)");
  return `WEBVTT\n\n${cues.join("\n\n")}\n`;
}

/** Checks that `text` is WebVTT with at least one cue; returns it with normalised line ends. */
export function checkWebVtt(text: string): string {
  if (!/^WEBVTT([ \t].*)?(\n|$)/.test(text)) throw new SubtitleFormatError("a WebVTT file must start with the line `WEBVTT`");
  if (!text.split("\n").some((l) => VTT_TIME.test(l.trim()))) throw new SubtitleFormatError("no WebVTT cues found (expected `00:00:01.000 --> 00:00:02.000` lines)");
  return text.endsWith("\n") ? text : `${text}\n`;
}

/** `1:02:03.5` → `01:02:03.500`: WebVTT wants two-digit hours when present and three-digit millis. */
function padTime(t: string): string {
  const m = /^(?:(\d{1,2}):)?(\d{2}):(\d{2})\.(\d{1,3})$/.exec(t.trim());
  if (!m) throw new SubtitleFormatError(`bad cue time ${JSON.stringify(t)}`);
  const [, h, min, s, ms] = m;
  return `${(h ?? "0").padStart(2, "0")}:${min}:${s}.${ms.padEnd(3, "0")}`;
}
