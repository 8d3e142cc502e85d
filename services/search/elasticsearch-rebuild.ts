import type { Client } from "@elastic/elasticsearch";
import type { SearchDocument } from "./index.js";
import { indexBody, storedTitle } from "./elasticsearch-documents.js";
import { aliasTargets, bulkWrite, copyWritesAfter, lastSeqNo, type IndexNames } from "./elasticsearch-indices.js";

/**
 * Fills a fresh concrete index from `source` while searches and writes keep using the alias, then
 * swaps the alias over in one atomic action and deletes the old index. Writes go to the alias all
 * along, from whichever process makes them; those the old index took after the rebuild began
 * (by its sequence numbers, not by anyone's clock) are copied into the new index before the swap,
 * and once more after it for writes that landed in between, each with its version, so a newer
 * write beats an older source document and a removal stays removed.
 */
export async function rebuildIndex(client: Client, names: IndexNames, source: AsyncIterable<SearchDocument[]>): Promise<number> {
  const [current, ...extra] = await aliasTargets(client, names.alias);
  if (!current || extra.length > 0) throw new Error(`search alias ${names.alias} points at ${[current, ...extra].join(", ") || "nothing"}; expected one index`);
  const startedAfter = await lastSeqNo(client, current);
  const next = names.fresh();
  await client.indices.create({ index: next, ...indexBody(names.replicas) });
  let count = 0;
  try {
    for await (const batch of source) {
      await bulkWrite(client, next, batch.map(storedTitle));
      count += batch.length;
    }
    await copyWritesAfter(client, current, next, startedAfter);
    await client.indices.refresh({ index: next });
    // must_exist: a rebuild racing this one that swapped first makes this one fail, not stack indices.
    await client.indices.updateAliases({
      actions: [{ remove: { index: current, alias: names.alias, must_exist: true } }, { add: { index: next, alias: names.alias } }],
    });
  } catch (error) {
    await client.indices.delete({ index: next, ignore_unavailable: true });
    throw error;
  }
  await copyWritesAfter(client, current, next, startedAfter);
  await client.indices.refresh({ index: next });
  await client.indices.delete({ index: current, ignore_unavailable: true });
  return count;
}
