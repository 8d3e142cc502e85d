import { describe, expect, it } from "vitest";
import { languageLabel, toBcp47, uniqueLabels, uniqueTrackNames } from "./language.js";

describe("language tags", () => {
  it("turns the ISO 639-2 codes containers store into BCP 47", () => {
    expect(["eng", "fre", "fra", "ger", "jpn", "pt-BR", "es-419", "", undefined, "not a tag"].map(toBcp47)).toEqual([
      "en", "fr", "fr", "de", "ja", "pt-BR", "es-419", "und", "und", "und",
    ]);
  });

  it("labels in English and falls back for undetermined", () => {
    expect(languageLabel("fr", "x")).toBe("French");
    expect(languageLabel("und", "Audio 2")).toBe("Audio 2");
  });

  it("names repeated tracks apart", () => {
    expect(uniqueTrackNames("audio-", ["en", "en", "fr", "pt-BR"])).toEqual(["audio-en", "audio-en-2", "audio-fr", "audio-pt-br"]);
    expect(uniqueLabels(["English", "English", "French"])).toEqual(["English", "English 2", "French"]);
  });
});
