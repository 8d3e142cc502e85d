import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { IdentityService } from "../../gen/cinemesh/identity/v1/identity_pb.js";
import { RatingService } from "../../gen/cinemesh/rating/v1/rating_pb.js";
import type { MembersPort } from "./members-port.js";

/** The country imported accounts sign up with. */
const COUNTRY = "US";

/**
 * Members through the edge as the admin whose token `adminToken` gives: identity's ImportMembers
 * and rating's ImportRatings, over gRPC (client streaming needs HTTP/2).
 */
export function edgeMembers(edge: string, adminToken: () => Promise<string>): MembersPort {
  const transport = createGrpcTransport({ baseUrl: edge });
  const identity = createClient(IdentityService, transport);
  const rating = createClient(RatingService, transport);
  const asAdmin = async () => ({ headers: { authorization: `Bearer ${await adminToken()}` } });

  return {
    async ensureMembers(password, members) {
      const res = await identity.importMembers(
        (async function* () {
          yield { password, country: COUNTRY, members };
        })(),
        await asAdmin(),
      );
      return res.members.map((m) => ({ email: m.email, userId: m.userId, profileId: m.profileId, created: m.created }));
    },

    async importRatings(batches) {
      const res = await rating.importRatings(
        (async function* () {
          for (const batch of batches) {
            yield { ratings: batch.map((r) => ({ userId: r.userId, profileId: r.profileId, contentId: r.contentId, rating: r.stars, ratedAt: timestampFromDate(r.ratedAt) })) };
          }
        })(),
        await asAdmin(),
      );
      return { imported: Number(res.imported), unchanged: Number(res.unchanged) };
    },
  };
}
