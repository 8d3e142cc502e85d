import { IdentityService } from "../gen/cinemesh/identity/v1/identity_pb.js";
import { CatalogService } from "../gen/cinemesh/catalog/v1/catalog_pb.js";
import { MediaService } from "../gen/cinemesh/media/v1/media_pb.js";
import { PlaybackService } from "../gen/cinemesh/playback/v1/playback_pb.js";
import { LibraryService } from "../gen/cinemesh/library/v1/library_pb.js";
import { RatingService } from "../gen/cinemesh/rating/v1/rating_pb.js";
import { SearchService } from "../gen/cinemesh/search/v1/search_pb.js";
import { RecommendationService } from "../gen/cinemesh/recommendation/v1/recommendation_pb.js";
import { BrowseService } from "../gen/cinemesh/browse/v1/browse_pb.js";
import { NotificationService } from "../gen/cinemesh/notification/v1/notification_pb.js";
import { AnalyticsService } from "../gen/cinemesh/analytics/v1/analytics_pb.js";
import type { DescService } from "@bufbuild/protobuf";
import type { HttpMount } from "./gateway.js";

/** Every public gRPC service of the mesh, as the edge exposes and reflects them. */
export const MESH_SERVICES: DescService[] = [
  IdentityService,
  CatalogService,
  MediaService,
  PlaybackService,
  LibraryService,
  RatingService,
  SearchService,
  RecommendationService,
  BrowseService,
  NotificationService,
  AnalyticsService,
];

/** Plain-HTTP endpoints the edge forwards unchanged to a service: tus resumable uploads. */
export const HTTP_MOUNTS: HttpMount[] = [{ prefix: "/api/v1/uploads/", service: "media" }];
