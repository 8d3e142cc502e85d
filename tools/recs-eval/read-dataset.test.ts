import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { generateInteractions } from "./generate.js";
import { DatasetError, readDataset } from "./read-dataset.js";
import { writeDataset } from "./write-dataset.js";

describe("MovieLens dataset files", () => {
  const dirs: string[] = [];
  const newDir = async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "recs-eval-"));
    dirs.push(dir);
    return dir;
  };
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it("reads back what the generator writes", async () => {
    const dir = await newDir();
    const data = generateInteractions({ users: 20, titles: 50, seed: 1 });
    await writeDataset(dir, data);
    expect(await readDataset(dir)).toEqual({ ...data, unknownMovieRatings: 0 });
  });

  it("reads quoted titles, leaves out ratings of unlisted movies and refuses a bad row with its line", async () => {
    const dir = await newDir();
    await writeFile(path.join(dir, "movies.csv"), 'movieId,title,genres\n1,"American President, The (1995)",Comedy|Drama|Romance\n2,Heat (1995),Action|Crime|Thriller\n');
    await writeFile(path.join(dir, "ratings.csv"), "userId,movieId,rating,timestamp\n1,1,4.0,964982703\n1,3,5.0,964981247\n2,2,0.5,964982224\n");
    const read = await readDataset(dir);
    expect(read.movies[0]).toEqual({ movieId: "1", title: "American President, The (1995)", genres: "Comedy|Drama|Romance" });
    expect(read.ratings).toEqual([
      { userId: "1", movieId: "1", rating: 4, timestamp: 964982703 },
      { userId: "2", movieId: "2", rating: 0.5, timestamp: 964982224 },
    ]);
    expect(read.unknownMovieRatings).toBe(1);

    await writeFile(path.join(dir, "ratings.csv"), "userId,movieId,rating,timestamp\n1,1,4.0,964982703\n1,2,4.2,964981247\n");
    await expect(readDataset(dir)).rejects.toThrow(new DatasetError(`${path.join(dir, "ratings.csv")}:3: rating "4.2" is not 0.5-5 in steps of 0.5`));
  });
});
