import { ContentStatus, ContentType, MaturityRating, SubtitleFormat, VideoQuality, VideoStatus } from "./model.js";

/**
 * How enums are spelled in the database: readable words (the seed's 'PG-13', 'TV_SHOW', '1080p')
 * rather than proto numbers, so the data reads well in psql and survives enum renumbering.
 */
export interface Codec<E extends number> {
  toDb(value: E): string;
  fromDb(text: string): E;
}

function codec<E extends number>(name: string, pairs: ReadonlyArray<readonly [NoInfer<E>, string]>): Codec<E> {
  const toDb = new Map<E, string>(pairs);
  const fromDb = new Map<string, E>(pairs.map(([e, s]) => [s, e]));
  return {
    toDb(value) {
      const text = toDb.get(value);
      if (text === undefined) throw new Error(`no database spelling for ${name} ${value}`);
      return text;
    },
    fromDb(text) {
      const value = fromDb.get(text);
      if (value === undefined) throw new Error(`unknown ${name} ${JSON.stringify(text)} in the database`);
      return value;
    },
  };
}

export const contentType = codec<ContentType>("content type", [
  [ContentType.MOVIE, "MOVIE"],
  [ContentType.TV_SHOW, "TV_SHOW"],
]);

export const contentStatus = codec<ContentStatus>("content status", [
  [ContentStatus.DRAFT, "DRAFT"],
  [ContentStatus.PUBLISHED, "PUBLISHED"],
]);

export const maturityRating = codec<MaturityRating>("maturity rating", [
  [MaturityRating.G, "G"],
  [MaturityRating.PG, "PG"],
  [MaturityRating.PG_13, "PG-13"],
  [MaturityRating.R, "R"],
  [MaturityRating.NC_17, "NC-17"],
  [MaturityRating.TV_Y, "TV-Y"],
  [MaturityRating.TV_Y7, "TV-Y7"],
  [MaturityRating.TV_G, "TV-G"],
  [MaturityRating.TV_PG, "TV-PG"],
  [MaturityRating.TV_14, "TV-14"],
  [MaturityRating.TV_MA, "TV-MA"],
]);

export const videoStatus = codec<VideoStatus>("video status", [
  [VideoStatus.AWAITING_UPLOAD, "AWAITING_UPLOAD"],
  [VideoStatus.PROCESSING, "PROCESSING"],
  [VideoStatus.READY, "READY"],
  [VideoStatus.FAILED, "FAILED"],
]);

export const videoQuality = codec<VideoQuality>("video quality", [
  [VideoQuality.VIDEO_QUALITY_360P, "360p"],
  [VideoQuality.VIDEO_QUALITY_480P, "480p"],
  [VideoQuality.VIDEO_QUALITY_720P, "720p"],
  [VideoQuality.VIDEO_QUALITY_1080P, "1080p"],
  [VideoQuality.VIDEO_QUALITY_2160P, "2160p"],
]);

export const subtitleFormat = codec<SubtitleFormat>("subtitle format", [
  [SubtitleFormat.SRT, "SRT"],
  [SubtitleFormat.WEBVTT, "WEBVTT"],
]);
