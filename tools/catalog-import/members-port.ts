/** An imported user as the platform knows them: one account with one profile. */
export interface Member {
  email: string;
  userId: string;
  profileId: string;
}

/** One rating for ImportRatings, on the platform's 1-5 stars. */
export interface MemberRating {
  userId: string;
  profileId: string;
  contentId: string;
  stars: number;
  ratedAt: Date;
}

/**
 * What the ratings import asks of the platform. One implementation goes through the edge
 * (edge-members.ts); tests give their own.
 */
export interface MembersPort {
  /**
   * Accounts with one profile for these e-mails (ImportMembers, as the admin): made when new, found
   * when an earlier run made them. At most 500 a call; answers in the order asked.
   */
  ensureMembers(password: string, members: { email: string; profileName: string }[]): Promise<(Member & { created: boolean })[]>;
  /** One ImportRatings stream, as the admin: at most 1,000 ratings a batch. */
  importRatings(batches: MemberRating[][]): Promise<{ imported: number; unchanged: number }>;
}
