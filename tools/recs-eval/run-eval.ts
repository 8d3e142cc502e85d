import { compareIds, type Dataset } from "./dataset.js";
import { historiesOf } from "./history.js";
import { quality, type Quality } from "./metrics.js";
import type { Recommender } from "./recommender.js";
import { splitByTime } from "./split.js";

export const K = 10;

export interface Result extends Quality {
  name: string;
  /** Learning from train and listing for every test user. */
  wallSeconds: number;
  /** The same in CPU time, which a busy machine changes less. */
  cpuSeconds: number;
}

export interface Evaluation {
  movies: number;
  users: number;
  trainRatings: number;
  testUsers: number;
  testPositives: number;
  results: Result[];
}

/** Splits once, then runs each recommender on the same train and scores it on the same test. */
export function evaluate(data: Dataset, recommenders: readonly Recommender[], k = K): Evaluation {
  const { train, test } = splitByTime(data.ratings);
  const input = { movies: data.movies, train, histories: historiesOf(train) };
  const testUsers = [...test.keys()].sort(compareIds);
  const results = recommenders.map((r) => {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const lists = r.recommend(input, testUsers, k);
    const wallSeconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    return { name: r.name, ...quality(k, lists, test, data.movies.length), wallSeconds, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
  });
  return {
    movies: data.movies.length,
    users: new Set(data.ratings.map((r) => r.userId)).size,
    trainRatings: train.length,
    testUsers: testUsers.length,
    testPositives: [...test.values()].reduce((s, t) => s + t.size, 0),
    results,
  };
}
