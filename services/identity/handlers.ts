import type { ConnectRouter, ServiceImpl } from "@connectrpc/connect";
import { IdentityService } from "../../gen/cinemesh/identity/v1/identity_pb.js";
import { requireAdmin, requireUser } from "../../platform/rpc/context.js";
import { changeSubscription, getAccount, logIn, signUp, type AccountDeps } from "./accounts.js";
import { clientIp } from "./client-ip.js";
import { importMembers } from "./import-members.js";
import { toProfileMessage, toUserMessage } from "./messages.js";
import { checkProfile, createProfile, deleteProfile, getProfile, listProfiles, updateProfile } from "./profiles.js";
import { mappingDomainErrors } from "../../platform/rpc/errors.js";
import { serviceRoutes } from "../../platform/rpc/service-routes.js";
import { logout, refreshSession, type LogoutTarget } from "./sessions.js";

/**
 * IdentityService: each RPC translated to a domain call and back. The caller is always the
 * verified token's subject (requireUser / requireAdmin), never a field of the request; the
 * protos' validation rules have already run (platform validation interceptor).
 */
export function identityRoutes(deps: AccountDeps): (router: ConnectRouter) => void {
  const { store } = deps;
  const impl: ServiceImpl<typeof IdentityService> = {
    async signUp(req, ctx) {
      const { user, tokens } = await signUp(deps, { ...req, clientIp: clientIp(ctx.requestHeader) });
      return { userId: user.id, token: tokens.accessToken, refreshToken: tokens.refreshToken, expiresIn: tokens.expiresIn };
    },

    async login(req, ctx) {
      const { user, tokens, profiles } = await logIn(deps, { email: req.email, password: req.password, clientIp: clientIp(ctx.requestHeader) });
      return {
        userId: user.id,
        token: tokens.accessToken,
        refreshToken: tokens.refreshToken,
        expiresIn: tokens.expiresIn,
        profiles: profiles.map(toProfileMessage),
      };
    },

    async refreshToken(req) {
      const tokens = await refreshSession(store, deps.sessions, req.refreshToken);
      return { token: tokens.accessToken, refreshToken: tokens.refreshToken, expiresIn: tokens.expiresIn };
    },

    async logout(req, ctx) {
      const claims = requireUser(ctx);
      // Without a refresh token, the session of the access token making the call ends.
      const target: LogoutTarget = req.allSessions
        ? { allSessions: true }
        : req.refreshToken !== ""
          ? { refreshToken: req.refreshToken }
          : { sessionId: claims.sessionId };
      return { success: await logout(store, claims.userId, target) };
    },

    async getMe(_req, ctx) {
      return { user: toUserMessage(await getAccount(store, requireUser(ctx).userId)) };
    },

    async importMembers(batches, ctx) {
      requireAdmin(ctx);
      const members = [];
      for await (const batch of batches) members.push(...(await importMembers(deps, batch)));
      return { members };
    },

    async createProfile(req, ctx) {
      const profile = await createProfile(deps, requireUser(ctx).userId, req);
      return { profileId: profile.id, name: profile.name, profile: toProfileMessage(profile) };
    },

    async listProfiles(_req, ctx) {
      return { profiles: (await listProfiles(store, requireUser(ctx).userId)).map(toProfileMessage) };
    },

    async getProfile(req, ctx) {
      return { profile: toProfileMessage(await getProfile(store, requireUser(ctx).userId, req.profileId)) };
    },

    async updateProfile(req, ctx) {
      const { profileId, name, avatarUrl, isKids, language, maturityLevel, preferences } = req;
      const patch = { name, avatarUrl, isKids, language, maturityLevel, preferences };
      return { profile: toProfileMessage(await updateProfile(deps, requireUser(ctx).userId, profileId, patch)) };
    },

    async deleteProfile(req, ctx) {
      await deleteProfile(deps, requireUser(ctx).userId, req.profileId);
      return { success: true };
    },

    async adminUpdateUser(req, ctx) {
      const admin = requireAdmin(ctx);
      const user = await changeSubscription(deps, admin.userId, req.userId, { plan: req.plan, status: req.status });
      return { user: toUserMessage(user) };
    },

    async checkProfile(req, ctx) {
      const { profile, maturityCap, plan, status } = await checkProfile(store, requireUser(ctx), req.profileId);
      return { profileId: profile.id, userId: profile.userId, isKids: profile.isKids, maturityLevel: maturityCap, plan, status, language: profile.language };
    },
  };
  return serviceRoutes(IdentityService, mappingDomainErrors(impl));
}
