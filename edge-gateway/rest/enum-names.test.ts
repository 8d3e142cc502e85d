import { describe, expect, it } from "vitest";
import { fromJson, toJson } from "@bufbuild/protobuf";
import { ContentSchema } from "../../gen/cinemesh/catalog/v1/catalog_types_pb.js";
import { ContentType, MaturityRating } from "../../gen/cinemesh/common/v1/enums_pb.js";
import { enumsFromRest, enumsToRest } from "./enum-names.js";

describe("enum names on the REST surface", () => {
  it("drops the protobuf prefix on the way out, in nested and repeated fields too", () => {
    const json = toJson(ContentSchema, fromJson(ContentSchema, { type: "CONTENT_TYPE_TV_SHOW", rating: "MATURITY_RATING_PG_13", title: "MOVIE_NIGHT" }));
    expect(enumsToRest(ContentSchema, json)).toMatchObject({ type: "TV_SHOW", rating: "PG_13", title: "MOVIE_NIGHT" });
  });

  it("accepts the short, the seed (PG-13) and the full spelling on the way in", () => {
    for (const rating of ["PG-13", "PG_13", "pg-13", "MATURITY_RATING_PG_13"]) {
      const msg = fromJson(ContentSchema, enumsFromRest(ContentSchema, { type: "MOVIE", rating }));
      expect([msg.type, msg.rating]).toEqual([ContentType.MOVIE, MaturityRating.PG_13]);
    }
  });

  it("rejects an unknown name, naming the field and the values it takes", () => {
    expect(() => enumsFromRest(ContentSchema, { type: "DOCUMENTARY" })).toThrow('type: unknown value "DOCUMENTARY", expected one of MOVIE, TV_SHOW');
  });
});
