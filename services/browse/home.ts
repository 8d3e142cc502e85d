import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, type CallOptions, type Client, type HandlerContext } from "@connectrpc/connect";
import type { Logger } from "pino";
import { CategorySchema, GetHomeResponseSchema, HomeSection, type GetHomeRequest, type GetHomeResponse } from "../../gen/cinemesh/browse/v1/browse_pb.js";
import {
  CatalogService,
  ListByCategoryResponseSchema,
  ListGenresResponseSchema,
  ListPublishedResponseSchema,
} from "../../gen/cinemesh/catalog/v1/catalog_pb.js";
import type { ContentSummary } from "../../gen/cinemesh/common/v1/content_pb.js";
import { MaturityRating } from "../../gen/cinemesh/common/v1/enums_pb.js";
import type { LibraryService } from "../../gen/cinemesh/library/v1/library_pb.js";
import { GetTrendingResponseSchema, RecommendationSchema, type Recommendation, type RecommendationService } from "../../gen/cinemesh/recommendation/v1/recommendation_pb.js";
import { minimumAge, profileCap } from "../../platform/domain/maturity.js";
import { PROFILE_ID_HEADER, requireProfileIdHeader, requireUser } from "../../platform/rpc/context.js";
import type { ProfileCheck } from "../../platform/rpc/profile-access.js";
import type { BrowseConfig } from "./config.js";
import { waitAtMost, type Outcome } from "./deadline.js";
import { ROWS_OF, type PageCopies, type Rows } from "./page-copies.js";
import { applyPageRules } from "./page.js";
import type { SharedRows } from "./shared-rows.js";

export const DEFAULT_ROW_LENGTH = 20;
export const DEFAULT_CATEGORY_COUNT = 10;
/** Shared rows are kept this long (the largest row a page asks for), and cut to each page's length. */
const SHARED_ROW_LENGTH = 50;
/** Genre rows considered for a page (the most a page asks for), the genres with most titles first. */
const MAX_GENRE_ROWS = 30;
const BECAUSE_ROWS = 2;

export interface HomeDeps {
  library: Client<typeof LibraryService>;
  recommendation: Client<typeof RecommendationService>;
  catalog: Client<typeof CatalogService>;
  profiles: ProfileCheck;
  copies: PageCopies;
  shared: SharedRows;
  config: BrowseConfig;
  logger: Logger;
}

interface Section {
  section: HomeSection;
  /** The profile's own rows: a stored copy may stand in for them, and a late answer refreshes it. */
  personal: boolean;
  load: () => Promise<Rows>;
}

const PERSONAL = [HomeSection.CONTINUE_WATCHING, HomeSection.RECOMMENDATIONS, HomeSection.MY_LIST, HomeSection.BECAUSE_YOU_WATCHED];

/**
 * GetHome: every row of a profile's home page in one call, never failing because a source does.
 *
 * Library (continue watching, My List), recommendation (picks, "because you watched", trending)
 * and catalog (cards, new releases, genre rows) are asked in parallel, each waited for at most its
 * deadline inside the page budget (and the client's own deadline). A section whose source fails or
 * is late is listed in `unavailable_sections` and filled from the profile's last good page, or an
 * unpersonalised fallback (popular titles) for recommendations and trending. A late answer still
 * refreshes the stored page. A complete page is served from kv until its TTL or the profile's next
 * event; rows everyone shares are kept once per maturity cap (SharedRows).
 *
 * When identity cannot confirm the profile in time, the page is unpersonalised and kids-safe.
 */
export function homePages(deps: HomeDeps): (req: GetHomeRequest, ctx: HandlerContext) => Promise<GetHomeResponse> {
  const { config, copies, shared } = deps;
  // A source may answer after its page is sent (to refresh the stored copy), up to this long.
  const call: CallOptions = { timeoutMs: Math.max(config.revalidateMs, config.dependencyDeadlineMs) };
  // Shared rows name no profile: the cap is explicit, so one copy serves every profile under it.
  const sharedCall: CallOptions = { ...call, headers: { [PROFILE_ID_HEADER]: "" } };

  return async (req, ctx) => {
    requireUser(ctx);
    const profileId = requireProfileIdHeader(ctx);
    const started = Date.now();
    const budget = Math.min(config.pageBudgetMs, withMargin(ctx.timeoutMs()));
    const waitFor = (deadlineMs: number) => Math.min(deadlineMs, started + budget - Date.now());
    const shape = { limit: req.limit || DEFAULT_ROW_LENGTH, categoryCount: req.categoryCount || DEFAULT_CATEGORY_COUNT };

    const checked = await waitAtMost(deps.profiles(ctx, profileId), waitFor(config.dependencyDeadlineMs));
    if (!checked.ok && !isOutage(checked)) throw checked.error;
    const personal = checked.ok;
    const cap = checked.ok ? profileCap(checked.value) : MaturityRating.G;
    const capKey = cap === undefined ? "all" : `age${minimumAge(cap)}`;
    const maxRating = cap ?? MaturityRating.UNSPECIFIED;

    const state = personal ? await copies.read(profileId) : { version: 0, changedAt: 0, copy: undefined };
    const { version, copy } = state;
    if (copy !== undefined && copies.isFresh(copy, state, shape)) {
      const kept = await copies.page(profileId);
      if (kept !== undefined) return kept;
    }

    const popular = shared
      .get(ListPublishedResponseSchema, `popular:${capKey}`, () => deps.catalog.listPublished({ sortBy: "popularity", limit: SHARED_ROW_LENGTH, maxRating }, sharedCall))
      .then((r) => r.content);
    popular.catch(() => {});

    const sections: Section[] = [
      {
        section: HomeSection.TRENDING,
        personal: false,
        load: async () => {
          const row = await shared.get(GetTrendingResponseSchema, `trending:${capKey}`, () => deps.recommendation.getTrending({ limit: SHARED_ROW_LENGTH, maxRating }, sharedCall));
          return { trending: row.items.flatMap((i) => i.content ?? []) };
        },
      },
      {
        section: HomeSection.NEW_RELEASES,
        personal: false,
        load: async () => {
          const row = await shared.get(ListPublishedResponseSchema, `new:${capKey}`, () => deps.catalog.listPublished({ sortBy: "newest", limit: SHARED_ROW_LENGTH, maxRating }, sharedCall));
          return { newReleases: row.content };
        },
      },
      {
        section: HomeSection.CATEGORIES,
        personal: false,
        load: async () => {
          const { genres } = await shared.get(ListGenresResponseSchema, `genres:${capKey}`, () => deps.catalog.listGenres({}, sharedCall));
          const top = [...genres].sort((a, b) => b.contentCount - a.contentCount || a.name.localeCompare(b.name)).slice(0, MAX_GENRE_ROWS);
          const rows = await Promise.all(
            top.map((g) =>
              shared
                .get(ListByCategoryResponseSchema, `genre:${capKey}:${g.slug}`, () => deps.catalog.listByCategory({ category: g.slug, limit: SHARED_ROW_LENGTH, maxRating }, sharedCall))
                .then((r) => [create(CategorySchema, { name: g.name, content: r.content })], () => []),
            ),
          );
          return { categories: rows.flat() };
        },
      },
    ];
    if (personal) {
      sections.push(
        {
          section: HomeSection.CONTINUE_WATCHING,
          personal: true,
          load: async () => {
            // Library's cards come from the catalog, as the profile (its cap) sees them.
            const { items } = await deps.library.listContinueWatching({ profileId, limit: shape.limit }, call);
            return { continueWatching: items.filter((e) => e.content !== undefined) };
          },
        },
        {
          section: HomeSection.MY_LIST,
          personal: true,
          load: async () => {
            const { content: items } = await deps.library.getMyList({ profileId, limit: shape.limit }, call);
            return { myList: items.flatMap((i) => i.content ?? []) };
          },
        },
        {
          section: HomeSection.RECOMMENDATIONS,
          personal: true,
          load: async () => ({ recommendations: (await deps.recommendation.getRecommendations({ profileId, limit: shape.limit }, call)).recommendations }),
        },
        {
          section: HomeSection.BECAUSE_YOU_WATCHED,
          personal: true,
          load: async () => ({ becauseYouWatched: (await deps.recommendation.getBecauseYouWatched({ profileId, rows: BECAUSE_ROWS, limit: shape.limit }, call)).rows }),
        },
      );
    }

    const late = (section: HomeSection) => (rows: Rows) =>
      void copies.keepRows(profileId, [section], rows).catch((err: unknown) => deps.logger.warn({ err, profileId }, "could not store a late home row"));
    const outcomes = await Promise.all(
      sections.map((s) => waitAtMost(s.load(), waitFor(config.dependencyDeadlineMs), s.personal ? late(s.section) : undefined).then((o) => ({ s, o }))),
    );

    // The last good rows stand in for the profile's own sections that did not come: read only then.
    const missing = outcomes.filter(({ s, o }) => s.personal && !o.ok).map(({ s }) => s.section);
    const kept: Rows = await copies.rows(profileId, missing).catch((err: unknown) => {
      deps.logger.warn({ err, profileId }, "could not read the kept home rows");
      return {};
    });
    const page = create(GetHomeResponseSchema);
    // The profile's own rows its sources gave now: what a partial page stores.
    const answered: Rows = {};
    const answeredSections: HomeSection[] = [];
    const unavailable: HomeSection[] = personal ? [] : [...PERSONAL];
    for (const { s, o } of outcomes) {
      if (o.ok) {
        Object.assign(page, o.value);
        if (s.personal) {
          Object.assign(answered, o.value);
          answeredSections.push(s.section);
        }
        continue;
      }
      unavailable.push(s.section);
      deps.logger.warn({ err: o.ok ? undefined : o.error, section: HomeSection[s.section], late: o.late, profileId }, "home section unavailable");
      if (s.personal) Object.assign(page, present(ROWS_OF[s.section](kept)));
    }
    await fillFallbacks(page, unavailable, popular, waitFor(config.dependencyDeadlineMs), profileId);

    applyPageRules(page, { cap, ...shape });
    page.partial = unavailable.length > 0;
    page.unavailableSections = unavailable.sort((a, b) => a - b);
    if (personal) {
      // A complete page is the copy; a partial one refreshes only the rows that were answered.
      const stored = page.partial
        ? copies.keepRows(profileId, answeredSections, answered)
        : copies.write(profileId, { version, at: started, complete: true, ...shape, page }, PERSONAL);
      await stored.catch((err: unknown) => deps.logger.warn({ err, profileId }, "could not store the home page"));
    }
    return page;
  };
}

/** The rows that are there (a section's kept rows may be missing). */
function present(rows: Rows): Rows {
  return Object.fromEntries(Object.entries(rows).filter(([, v]) => v !== undefined));
}

/** The time a page may take within the client's deadline: enough left over for the answer to reach it. */
function withMargin(clientMs: number | undefined): number {
  if (clientMs === undefined) return Number.POSITIVE_INFINITY;
  return clientMs - Math.max(10, clientMs * 0.1);
}

/** Popular titles where recommendations or trending are missing. */
async function fillFallbacks(page: GetHomeResponse, unavailable: HomeSection[], popular: Promise<ContentSummary[]>, waitMs: number, profileId: string): Promise<void> {
  const needRecommendations = unavailable.includes(HomeSection.RECOMMENDATIONS) && page.recommendations.length === 0;
  const needTrending = unavailable.includes(HomeSection.TRENDING) && page.trending.length === 0;
  if (!needRecommendations && !needTrending) return;
  const got: Outcome<ContentSummary[]> = await waitAtMost(popular, waitMs);
  if (!got.ok) return;
  if (needTrending) page.trending = got.value;
  if (needRecommendations) page.recommendations = got.value.map((content) => popularPick(content, profileId));
}

function popularPick(content: ContentSummary, profileId: string): Recommendation {
  return create(RecommendationSchema, {
    contentId: content.contentId,
    title: content.title,
    thumbnailUrl: content.thumbnailUrl,
    reason: "Popular on Cinemesh",
    profileId,
    content,
  });
}

/** The profile check failed for want of identity (down, slow, overloaded), not because the profile is not the caller's. */
function isOutage(o: Outcome<unknown>): boolean {
  if (o.ok) return false;
  if (o.late) return true;
  const code = ConnectError.from(o.error).code;
  return code === Code.Unavailable || code === Code.DeadlineExceeded || code === Code.ResourceExhausted || code === Code.Aborted || code === Code.Internal || code === Code.Unknown;
}
