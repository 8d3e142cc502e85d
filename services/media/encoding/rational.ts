/** A frame rate or aspect ratio as ffmpeg writes it ("30000/1001"). */
export interface Rational {
  num: number;
  den: number;
}

export function parseRational(text: string | undefined): Rational | undefined {
  const match = /^(\d+)[/:](\d+)$/.exec(text?.trim() ?? "");
  if (!match) return undefined;
  const num = Number(match[1]);
  const den = Number(match[2]);
  return num > 0 && den > 0 ? { num, den } : undefined;
}

export function rationalValue(r: Rational): number {
  return r.num / r.den;
}

export function formatRational(r: Rational): string {
  return `${r.num}/${r.den}`;
}
