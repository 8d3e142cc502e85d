/**
 * The one spelling of an enum in storage: the member name of the generated TS enum ('PG_13',
 * 'TV_SHOW', 'PUBLISHED', 'VIDEO_QUALITY_1080P'), never its number, so rows read well in psql and
 * survive renumbering. UNSPECIFIED is never stored: it means the value was not set.
 */
export interface EnumColumn<E extends number> {
  toDb(value: E): string;
  fromDb(text: unknown): E;
}

/** A generated protobuf-es enum object (numeric, with its reverse mapping). */
type TsEnum = Record<string, string | number>;

export function enumColumn<E extends number>(e: TsEnum, what: string): EnumColumn<E> {
  return {
    toDb(value) {
      const name = e[value];
      if (typeof name !== "string" || name.endsWith("UNSPECIFIED")) throw new Error(`cannot store ${what} ${value}`);
      return name;
    },
    fromDb(text) {
      const value = typeof text === "string" && !text.endsWith("UNSPECIFIED") ? e[text] : undefined;
      if (typeof value !== "number") throw new Error(`unknown ${what} ${JSON.stringify(text)} in the database`);
      return value as E;
    },
  };
}
