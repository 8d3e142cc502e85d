/**
 * The RFC 6381 codec string (HLS CODECS, DASH @codecs) of the video track of an fMP4
 * initialization segment, read from its decoder configuration record: "avc1.640028" from avcC,
 * "hvc1.1.6.L150.90" from hvcC (ISO/IEC 14496-15 annex E). ffmpeg 5.1's dash muxer writes a bare
 * "hvc1" for HEVC, which players cannot judge, hence this.
 */
export function videoCodecString(init: Uint8Array): string {
  const avcC = findBox(init, "avcC");
  if (avcC !== undefined) {
    const entry = findBox(init, "avc3") !== undefined ? "avc3" : "avc1";
    return `${entry}.${hex2(init[avcC + 1]!)}${hex2(init[avcC + 2]!)}${hex2(init[avcC + 3]!)}`;
  }
  const hvcC = findBox(init, "hvcC");
  if (hvcC !== undefined) {
    const entry = findBox(init, "hev1") !== undefined ? "hev1" : "hvc1";
    return `${entry}.${hevcParameters(init.subarray(hvcC, hvcC + 13))}`;
  }
  throw new Error("no avcC or hvcC box in the initialization segment");
}

function hevcParameters(c: Uint8Array): string {
  const profileSpace = ["", "A", "B", "C"][c[1]! >> 6]!;
  const tier = (c[1]! >> 5) & 1 ? "H" : "L";
  const profileIdc = c[1]! & 0x1f;
  const compatibility = ((c[2]! << 24) | (c[3]! << 16) | (c[4]! << 8) | c[5]!) >>> 0;
  const level = c[12]!;
  const constraints = Array.from(c.subarray(6, 12));
  while (constraints.length > 0 && constraints[constraints.length - 1] === 0) constraints.pop();
  return [`${profileSpace}${profileIdc}`, reverseBits32(compatibility).toString(16).toUpperCase(), `${tier}${level}`, ...constraints.map((b) => b.toString(16).toUpperCase())].join(".");
}

function reverseBits32(n: number): number {
  let out = 0;
  for (let i = 0; i < 32; i++) out = ((out << 1) | ((n >>> i) & 1)) >>> 0;
  return out;
}

/** Offset of the first byte after a box's four-character type, or undefined. */
function findBox(bytes: Uint8Array, type: string): number | undefined {
  const codes = [...type].map((ch) => ch.charCodeAt(0));
  for (let i = 4; i + 4 <= bytes.length; i++) {
    if (bytes[i] === codes[0] && bytes[i + 1] === codes[1] && bytes[i + 2] === codes[2] && bytes[i + 3] === codes[3]) return i + 4;
  }
  return undefined;
}

function hex2(n: number): string {
  return n.toString(16).padStart(2, "0");
}
