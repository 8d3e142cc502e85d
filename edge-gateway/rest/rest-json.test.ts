import { describe, expect, it } from "vitest";
import { fromJson, toJson } from "@bufbuild/protobuf";
import { ContentSchema } from "../../gen/cinemesh/catalog/v1/catalog_types_pb.js";
import { ContentType, MaturityRating } from "../../gen/cinemesh/common/v1/enums_pb.js";
import { fromRestJson, toRestJson } from "./rest-json.js";
import { GetContentRatingResponseSchema } from "../../gen/cinemesh/rating/v1/rating_pb.js";

describe("the REST surface's JSON", () => {
  it("drops the protobuf prefix on the way out, in nested and repeated fields too", () => {
    const json = toJson(ContentSchema, fromJson(ContentSchema, { type: "CONTENT_TYPE_TV_SHOW", rating: "MATURITY_RATING_PG_13", title: "MOVIE_NIGHT" }));
    expect(toRestJson(ContentSchema, json)).toMatchObject({ type: "TV_SHOW", rating: "PG_13", title: "MOVIE_NIGHT" });
  });

  it("accepts the short, the seed (PG-13) and the full spelling on the way in", () => {
    for (const rating of ["PG-13", "PG_13", "pg-13", "MATURITY_RATING_PG_13"]) {
      const msg = fromJson(ContentSchema, fromRestJson(ContentSchema, { type: "MOVIE", rating }));
      expect([msg.type, msg.rating]).toEqual([ContentType.MOVIE, MaturityRating.PG_13]);
    }
  });

  it("rejects an unknown name, naming the field and the values it takes", () => {
    expect(() => fromRestJson(ContentSchema, { type: "DOCUMENTARY" })).toThrow('type: unknown value "DOCUMENTARY", expected one of MOVIE, TV_SHOW');
  });

  it("writes 64-bit integers as numbers while they are exact, as strings beyond", () => {
    const json = toJson(GetContentRatingResponseSchema, fromJson(GetContentRatingResponseSchema, { totalRatings: "2", averageRating: 2.5 }));
    expect(toRestJson(GetContentRatingResponseSchema, json)).toMatchObject({ totalRatings: 2, averageRating: 2.5 });
    const huge = toJson(GetContentRatingResponseSchema, fromJson(GetContentRatingResponseSchema, { totalRatings: "9007199254740993" }));
    expect(toRestJson(GetContentRatingResponseSchema, huge)).toMatchObject({ totalRatings: "9007199254740993" });
  });
});
