/** What ranking knows of a title: the catalog fields similarity is computed from, and who may see it. */
export interface TitleFeatures {
  contentId: string;
  title: string;
  genres: string[];
  cast: string[];
  director: string;
  keywords: string[];
  releaseYear: number;
  language: string;
  /** The youngest age the title suits (platform/domain/maturity.ts); a capped profile sees titles up to its own. */
  minAge: number;
}

/** One thing a profile did with a title, as a preference: positive likes it, negative does not. */
export interface Interaction {
  profileId: string;
  contentId: string;
  /** -1 … 1.5 (see interactionWeight). */
  weight: number;
  /** When it happened, ms since the epoch: recent tastes count more. */
  at: number;
  /** What the profile did, for the reason shown with what it led to. */
  kind: InteractionKind;
}

export type InteractionKind = "watched" | "rated" | "listed";
