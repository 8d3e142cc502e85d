import { toBcp47 } from "./language.js";

export interface MpdRepresentationPatch {
  /** The Representation@id ffmpeg wrote (the stream's index in the dash output). */
  id: string;
  /** Folder the representation's segments were moved to, relative to the MPD. */
  directory: string;
  codecs: string;
  /** Measured peak bits per second. */
  bandwidth: number;
}

export interface MpdSubtitle {
  language: string;
  label: string;
  /** WebVTT file, relative to the MPD. */
  uri: string;
}

export interface MpdPatch {
  representations: readonly MpdRepresentationPatch[];
  /**
   * Representation ids to gather into one AdaptationSet each (a player only switches bitrate
   * within a set). ffmpeg's muxer refuses rungs whose aspect ratios differ by a rounding pixel
   * (854x480 next to 640x360) in one set, so it writes one set per rung and they are merged here.
   */
  switchingSets: readonly (readonly string[])[];
  subtitles: readonly MpdSubtitle[];
}

interface AdaptationSetBlock {
  attrs: string;
  representations: { id: string; xml: string }[];
  /** Everything in the set that is not a Representation (e.g. AudioChannelConfiguration). */
  other: string;
}

/**
 * Completes the MPD ffmpeg's dash muxer wrote: one AdaptationSet per switching set, segment paths
 * pointing at the folders named after the renditions, the measured @codecs and @bandwidth, BCP 47
 * languages, and each WebVTT subtitle as a text AdaptationSet (the muxer has no sidecar subtitles).
 */
export function patchMpd(mpd: string, { representations, switchingSets, subtitles }: MpdPatch): string {
  const periodStart = mpd.indexOf("<AdaptationSet");
  const periodEnd = mpd.lastIndexOf("</Period>");
  if (periodStart < 0 || periodEnd < 0) throw new Error("the MPD has no Period with AdaptationSets");
  const sets = parseAdaptationSets(mpd.slice(periodStart, periodEnd));
  const byId = new Map(representations.map((r) => [r.id, r]));
  const merged = mergeSwitchingSets(sets, switchingSets);
  const xml = merged.map((set, index) => renderSet(set, index, byId));
  subtitles.forEach((s, i) => xml.push(subtitleSet(s, merged.length + i, i)));
  return `${mpd.slice(0, periodStart)}${xml.join("\n\t\t")}\n\t${mpd.slice(periodEnd)}`;
}

function parseAdaptationSets(xml: string): AdaptationSetBlock[] {
  return [...xml.matchAll(/<AdaptationSet\b([^>]*)>([\s\S]*?)<\/AdaptationSet>/g)].map((m) => {
    const body = m[2]!;
    const representations = [...body.matchAll(/<Representation\s+id="([^"]*)"[\s\S]*?<\/Representation>/g)].map((r) => ({ id: r[1]!, xml: r[0] }));
    const other = body.replace(/\s*<Representation\s[\s\S]*?<\/Representation>/g, "").trim();
    return { attrs: m[1]!, representations, other };
  });
}

function mergeSwitchingSets(sets: AdaptationSetBlock[], switchingSets: MpdPatch["switchingSets"]): AdaptationSetBlock[] {
  const groupOf = new Map<string, number>();
  switchingSets.forEach((ids, g) => ids.forEach((id) => groupOf.set(id, g)));
  const leaders = new Map<number, AdaptationSetBlock>();
  const out: AdaptationSetBlock[] = [];
  for (const set of sets) {
    const group = set.representations.length > 0 ? groupOf.get(set.representations[0]!.id) : undefined;
    const leader = group === undefined ? undefined : leaders.get(group);
    if (leader) {
      leader.representations.push(...set.representations);
      continue;
    }
    const copy = { ...set, representations: [...set.representations] };
    if (group !== undefined) leaders.set(group, copy);
    out.push(copy);
  }
  return out;
}

function renderSet(set: AdaptationSetBlock, index: number, byId: Map<string, MpdRepresentationPatch>): string {
  let attrs = setAttribute(set.attrs, "id", String(index));
  attrs = attrs.replace(/\slang="([^"]*)"/, (_m, lang: string) => ` lang="${toBcp47(lang)}"`);
  const widths = set.representations.map((r) => Number(/\swidth="(\d+)"/.exec(r.xml)?.[1] ?? 0));
  const heights = set.representations.map((r) => Number(/\sheight="(\d+)"/.exec(r.xml)?.[1] ?? 0));
  if (widths.some((w) => w > 0)) {
    attrs = setAttribute(setAttribute(attrs, "maxWidth", String(Math.max(...widths))), "maxHeight", String(Math.max(...heights)));
    // Rungs differ in aspect ratio by rounding; a single @par would be wrong for some.
    attrs = attrs.replace(/\spar="[^"]*"/, "");
  }
  if (set.representations.length > 1) {
    // Each rung has its own init segment (its own SPS/PPS): a player must re-initialise on a switch.
    attrs = setAttribute(attrs, "bitstreamSwitching", "false");
  }
  const reps = set.representations.map((r) => {
    const patch = byId.get(r.id);
    if (!patch) throw new Error(`the MPD has a Representation ${r.id} the encoder did not plan`);
    return r.xml
      .replace(/^<Representation\s+id="[^"]*"([^>]*)>/, (_m, a: string) => `<Representation id="${r.id}"${setAttribute(setAttribute(a, "codecs", patch.codecs), "bandwidth", String(Math.round(patch.bandwidth)))}>`)
      .replaceAll("stream$RepresentationID$/", `${patch.directory}/`);
  });
  return [`<AdaptationSet${attrs}>`, ...(set.other ? [`\t${set.other}`] : []), ...reps.map((r) => `\t${r}`), `</AdaptationSet>`].join("\n\t\t");
}

function subtitleSet(s: MpdSubtitle, id: number, n: number): string {
  return [
    `<AdaptationSet id="${id}" contentType="text" mimeType="text/vtt" lang="${xml(s.language)}">`,
    `\t<Label>${xml(s.label)}</Label>`,
    `\t<Role schemeIdUri="urn:mpeg:dash:role:2011" value="subtitle" />`,
    `\t<Representation id="subtitle-${n}" bandwidth="256">`,
    `\t\t<BaseURL>${xml(s.uri)}</BaseURL>`,
    `\t</Representation>`,
    `</AdaptationSet>`,
  ].join("\n\t\t");
}

function setAttribute(attrs: string, name: string, value: string): string {
  const pattern = new RegExp(`\\s${name}="[^"]*"`);
  return pattern.test(attrs) ? attrs.replace(pattern, ` ${name}="${xml(value)}"`) : `${attrs} ${name}="${xml(value)}"`;
}

function xml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
