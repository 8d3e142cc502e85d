import type { JsonObject } from "@bufbuild/protobuf";
import type { MaturityRating } from "../../gen/cinemesh/common/v1/enums_pb.js";
import { invalidArgument } from "./errors.js";
import { effectiveMaturityCap } from "./maturity-cap.js";
import type { ProfileRecord, ProfileValues } from "./model.js";

/**
 * What a profile may hold, beyond the protos' rules (lengths, URI, language pattern): names are
 * stored verbatim (markup and quotes included: escaping is the renderer's job) but must not be
 * blank or carry control characters; avatars are http(s) links only (a `javascript:` URI is a valid
 * URI too); preferences are bounded; kids profiles never exceed the kids maturity cap.
 */
export const DEFAULT_LANGUAGE = "en";
export const MAX_PREFERENCES_BYTES = 16 * 1024;

export interface ProfileInput {
  name: string;
  avatarUrl: string;
  isKids: boolean;
  /** Empty: the default language. */
  language: string;
  /** UNSPECIFIED: the default for the kind of profile. */
  maturityLevel: MaturityRating;
  preferences?: JsonObject;
}

/** Fields to change; absent ones stay as they are. */
export type ProfilePatch = Partial<ProfileInput>;

export function newProfileValues(input: ProfileInput): ProfileValues {
  return checked({
    name: input.name,
    avatarUrl: input.avatarUrl,
    isKids: input.isKids,
    language: input.language === "" ? DEFAULT_LANGUAGE : input.language,
    maturityLevel: effectiveMaturityCap(input.isKids, input.maturityLevel),
    preferences: input.preferences ?? {},
  });
}

/**
 * The profile after the patch. Turning a profile into a kids profile lowers its level to the cap;
 * turning it back keeps the lowered level until a parent raises it explicitly.
 */
export function patchedProfileValues(current: ProfileRecord, patch: ProfilePatch): ProfileValues {
  const isKids = patch.isKids ?? current.isKids;
  return checked({
    name: patch.name ?? current.name,
    avatarUrl: patch.avatarUrl ?? current.avatarUrl,
    isKids,
    language: patch.language ?? current.language,
    maturityLevel: effectiveMaturityCap(isKids, patch.maturityLevel ?? current.maturityLevel),
    preferences: patch.preferences ?? current.preferences,
  });
}

export function sameProfileValues(a: ProfileValues, b: ProfileValues): boolean {
  return (
    a.name === b.name &&
    a.avatarUrl === b.avatarUrl &&
    a.isKids === b.isKids &&
    a.language === b.language &&
    a.maturityLevel === b.maturityLevel &&
    JSON.stringify(a.preferences) === JSON.stringify(b.preferences)
  );
}

function checked(v: ProfileValues): ProfileValues {
  if (v.name.trim() === "") throw invalidArgument("name", "must not be blank");
  if (/[\p{Cc}\p{Cs}]/u.test(v.name)) throw invalidArgument("name", "must not contain control characters");
  if (v.avatarUrl !== "" && !isHttpUrl(v.avatarUrl)) throw invalidArgument("avatar_url", "must be an http or https URL");
  const json = JSON.stringify(v.preferences);
  if (Buffer.byteLength(json) > MAX_PREFERENCES_BYTES) throw invalidArgument("preferences", `must be at most ${MAX_PREFERENCES_BYTES} bytes as JSON`);
  // Postgres text and jsonb cannot hold U+0000.
  if (json.includes("\\u0000")) throw invalidArgument("preferences", "must not contain NUL characters");
  return v;
}

function isHttpUrl(s: string): boolean {
  if (/[\p{Cc}\s]/u.test(s)) return false;
  try {
    const u = new URL(s);
    return u.protocol === "https:" || u.protocol === "http:";
  } catch {
    return false;
  }
}
