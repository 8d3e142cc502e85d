import { homedir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { UsageError } from "../cli/command-line.js";
import { parseUploadArgs } from "./args.js";

const CONTENT = "6f1c2b7e-8a4d-4c1e-9b3a-2d5e7f9a1c3b";

describe("upload CLI arguments", () => {
  it("reads a movie upload, with defaults for everything optional", () => {
    expect(parseUploadArgs(["--token", "tok", "--content", CONTENT, "film.mp4"])).toEqual({
      edge: "http://127.0.0.1:8080",
      token: "tok",
      contentId: CONTENT,
      season: undefined,
      episode: undefined,
      title: "",
      file: path.resolve("film.mp4"),
      chunkBytes: 8 * 1024 * 1024,
      stateFile: path.join(homedir(), ".cinemesh", "uploads.json"),
      watch: true,
    });
  });

  it("reads an episode upload with every option, the file anywhere among them", () => {
    const args = parseUploadArgs([
      "--edge", "https://edge.example/",
      "ep3.mkv",
      "--token", "tok",
      "--content", CONTENT,
      "--season", "2",
      "--episode", "3",
      "--title", "The Return",
      "--chunk-size", "32",
      "--state", "/tmp/state.json",
      "--no-watch",
    ]);
    expect(args).toMatchObject({ edge: "https://edge.example", season: 2, episode: 3, title: "The Return", chunkBytes: 32 * 1024 * 1024, stateFile: "/tmp/state.json", watch: false });
  });

  it("takes the edge and the token from the environment when not given", () => {
    const args = parseUploadArgs(["--content", CONTENT, "f.mp4"], { CINEMESH_EDGE: "http://10.0.0.5:8080", CINEMESH_TOKEN: "from-env" });
    expect(args).toMatchObject({ edge: "http://10.0.0.5:8080", token: "from-env" });
    expect(parseUploadArgs(["--token", "flag", "--content", CONTENT, "f.mp4"], { CINEMESH_TOKEN: "env" })?.token).toBe("flag");
  });

  it("answers help with undefined", () => {
    expect(parseUploadArgs(["--help"])).toBeUndefined();
    expect(parseUploadArgs(["-h", "--content", "nonsense"])).toBeUndefined();
  });

  it.each([
    [["--content", CONTENT, "f.mp4"], /admin token is required/],
    [["--token", "t", "f.mp4"], /--content is required/],
    [["--token", "t", "--content", "42", "f.mp4"], /--content "42": expected a UUID/],
    [["--token", "t", "--content", CONTENT], /file to upload is missing/],
    [["--token", "t", "--content", CONTENT, "a.mp4", "b.mp4"], /one file at a time/],
    [["--token", "t", "--content", CONTENT, "--season", "1", "f.mp4"], /--season and --episode go together/],
    [["--token", "t", "--content", CONTENT, "--episode", "1", "f.mp4"], /--season and --episode go together/],
    [["--token", "t", "--content", CONTENT, "--season", "0", "--episode", "1", "f.mp4"], /--season "0": expected a whole number from 1 to 1000/],
    [["--token", "t", "--content", CONTENT, "--season", "1.5", "--episode", "1", "f.mp4"], /--season "1.5"/],
    [["--token", "t", "--content", CONTENT, "--chunk-size", "0", "f.mp4"], /--chunk-size "0"/],
    [["--token", "t", "--content", CONTENT, "--edge", "ftp://x", "f.mp4"], /--edge "ftp:\/\/x": expected an http\(s\) URL/],
    [["--token", "t", "--content", CONTENT, "--bogus", "f.mp4"], /Unknown option '--bogus'/],
  ])("refuses %j", (argv, message) => {
    expect(() => parseUploadArgs(argv)).toThrow(UsageError);
    expect(() => parseUploadArgs(argv)).toThrow(message);
  });

  it("reports every problem at once", () => {
    expect(() => parseUploadArgs(["--season", "x"])).toThrow(/admin token[\s\S]*--content is required[\s\S]*--season "x"[\s\S]*file to upload is missing/);
  });
});
