import type { MessageInitShape } from "@bufbuild/protobuf";
import type { CreateContentRequestSchema } from "../../../gen/cinemesh/catalog/v1/catalog_pb.js";
import { ContentType, MaturityRating } from "../../../gen/cinemesh/common/v1/enums_pb.js";

export type NewContent = MessageInitShape<typeof CreateContentRequestSchema>;

/** A published movie; override what the test is about. */
export function movie(overrides: NewContent = {}): NewContent {
  return {
    title: "Heat",
    description: "A group of professional bank robbers feel the heat from police.",
    type: ContentType.MOVIE,
    genres: ["Crime", "Drama"],
    releaseYear: 1995,
    rating: MaturityRating.R,
    language: "en",
    cast: ["Al Pacino", "Robert De Niro"],
    director: "Michael Mann",
    durationMinutes: 170,
    thumbnailUrl: "https://img.example/heat.jpg",
    publish: true,
    ...overrides,
  };
}

/** A published TV show without seasons yet. */
export function show(overrides: NewContent = {}): NewContent {
  return {
    title: "Bluey",
    description: "A six-year-old Blue Heeler dog and her family.",
    type: ContentType.TV_SHOW,
    genres: ["Kids", "Animation"],
    releaseYear: 2018,
    rating: MaturityRating.TV_Y,
    language: "en",
    cast: ["Dave McCormack"],
    publish: true,
    ...overrides,
  };
}
