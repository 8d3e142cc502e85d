import { catalogGenres } from "../catalog-import/movielens-genres.js";
import { parseMovieLensTitle } from "../catalog-import/movielens-title.js";
import { buildModel } from "../../services/recommendation/ranking/model.js";
import { recommend } from "../../services/recommendation/ranking/recommend.js";
import type { Interaction, TitleFeatures } from "../../services/recommendation/ranking/titles.js";
import { interactionWeight } from "../../services/recommendation/ranking/weights.js";
import { platformStars } from "../catalog-import/movielens-rows.js";
import type { Movie, RatingRow } from "./dataset.js";
import type { Recommender } from "./recommender.js";

/** A movies.csv row as ranking would know it after the catalog import: title, genres, year; no cast, director or keywords. */
export function titleFeatures(m: Movie): TitleFeatures {
  const parsed = parseMovieLensTitle(m.title);
  return {
    contentId: m.movieId,
    title: parsed.ok ? parsed.value.title : m.title,
    genres: catalogGenres(m.genres),
    cast: [],
    director: "",
    keywords: [],
    // A title without a readable year still counts in the catalog; ranking skips a year of 0.
    releaseYear: parsed.ok ? parsed.value.releaseYear : 0,
    language: "",
    minAge: 0,
  };
}

/** A rating as the service would record it: half stars rounded up onto 1-5, as the importer maps them, weighed by interactionWeight. */
export function interactionOf(r: RatingRow): Interaction {
  const signal = interactionWeight({ completed: false, listed: false, stars: platformStars(r.rating) });
  if (signal === undefined) throw new Error(`rating ${r.rating} gave no signal`);
  return { profileId: r.userId, contentId: r.movieId, weight: signal.weight, at: r.timestamp * 1000, kind: signal.kind };
}

/** services/recommendation/ranking as it stands: the model built from train as of its latest rating, one list per user. */
export const ours: Recommender = oursWith(true);

/** The same without the rule of at most three titles of one main genre in the top ten: what the rule costs. */
export const oursWithoutGenreRule: Recommender = oursWith(false);

function oursWith(diversify: boolean): Recommender {
  return {
    name: diversify ? "ours" : "ours, no genre rule",
    recommend({ movies, train, histories }, users, k) {
      const latest = train.reduce((m, r) => Math.max(m, r.timestamp), 0);
      const model = buildModel(movies.map(titleFeatures), train.map(interactionOf), latest * 1000);
      return new Map(users.map((u) => [u, recommend(model, { interactions: (histories.get(u)?.ratings ?? []).map(interactionOf) }, k, { diversify }).map((r) => r.contentId)]));
    },
  };
}
