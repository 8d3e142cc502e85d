import { compareIds } from "./dataset.js";
import type { Recommender } from "./recommender.js";

/** The baseline: the movies with the most train positives, the same list for everyone but what they saw. */
export const popularity: Recommender = {
  name: "popularity",
  recommend({ movies, histories }, users, k) {
    const likes = new Map(movies.map((m) => [m.movieId, 0]));
    for (const h of histories.values()) for (const id of h.positives) likes.set(id, likes.get(id)! + 1);
    const ranked = [...likes].sort((a, b) => b[1] - a[1] || compareIds(a[0], b[0])).map(([id]) => id);
    return new Map(
      users.map((u) => {
        const seen = histories.get(u)?.seen;
        const list: string[] = [];
        for (const id of ranked) {
          if (list.length === k) break;
          if (!seen?.has(id)) list.push(id);
        }
        return [u, list];
      }),
    );
  },
};
