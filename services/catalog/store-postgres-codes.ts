import { enumColumn } from "../../platform/storage/enum-column.js";
import { ContentStatus, ContentType, MaturityRating, SubtitleFormat, VideoQuality, VideoStatus } from "./model.js";

/** The catalog's enum columns, spelled the one way platform/storage/enum-column.ts stores enums. */
export const contentType = enumColumn<ContentType>(ContentType, "content type");
export const contentStatus = enumColumn<ContentStatus>(ContentStatus, "content status");
export const maturityRating = enumColumn<MaturityRating>(MaturityRating, "maturity rating");
export const videoStatus = enumColumn<VideoStatus>(VideoStatus, "video status");
export const videoQuality = enumColumn<VideoQuality>(VideoQuality, "video quality");
export const subtitleFormat = enumColumn<SubtitleFormat>(SubtitleFormat, "subtitle format");
