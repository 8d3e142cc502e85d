import type { CatalogDeps } from "./deps.js";
import { alreadyExists } from "./errors.js";
import type { ExternalId, ExternalIdHolder } from "./model.js";

/**
 * External ids (a title's ids in other catalogs). Sources are lower case by the proto rules, which
 * the validation interceptor enforces before a request gets here; ids are compared as given
 * (catalogs differ on whether case matters, so none is assumed).
 */

const key = (x: ExternalId) => JSON.stringify([x.source, x.id]);

/** The ids in the given order, each once. */
export function distinctExternalIds(ids: readonly ExternalId[]): ExternalId[] {
  const seen = new Map<string, ExternalId>();
  for (const x of ids) if (!seen.has(key(x))) seen.set(key(x), { source: x.source, id: x.id });
  return [...seen.values()];
}

/** The refusal of a title whose external ids other titles hold, naming each of them. */
export function externalIdsTaken(holders: readonly ExternalIdHolder[]) {
  const named = holders.map((h) => `external id ${h.externalId.source}:${h.externalId.id} already names content ${h.contentId} (${JSON.stringify(h.title)})`);
  return alreadyExists(named.join("; "));
}

/** The titles (drafts too) the given ids name, in request order, each id once; unknown ids left out. */
export async function lookupExternalIds(deps: CatalogDeps, ids: readonly ExternalId[]): Promise<ExternalIdHolder[]> {
  const wanted = distinctExternalIds(ids);
  const holders = new Map((await deps.store.externalIdHolders(wanted)).map((h) => [key(h.externalId), h]));
  return wanted.flatMap((x) => holders.get(key(x)) ?? []);
}
