import { createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { SearchService } from "../../gen/cinemesh/search/v1/search_pb.js";
import { adminToken } from "../catalog-import/edge-catalog.js";
import { adminAuthOption, edgeOption, parseCommandLine, runCli, UsageError, type AdminAuth } from "../cli/command-line.js";

const USAGE = `Usage: node dist/tools/search-reindex/main.js [--edge URL] [--token T]   (npm run search:reindex)

Rebuilds the search index from the catalog, through the edge as an admin (SearchService.Reindex).
Searches keep answering from the old index until the new one is swapped in.

Options:
  --edge <url>     edge gateway (env CINEMESH_EDGE, default http://127.0.0.1:8080)
  --token <token>  an admin's access token (env CINEMESH_TOKEN); otherwise logs in with
                   CINEMESH_ADMIN_EMAIL and CINEMESH_ADMIN_PASSWORD
  -h, --help       this text`;

interface ReindexArgs {
  edge: string;
  auth: AdminAuth;
}

function parseReindexArgs(argv: string[], env: Record<string, string | undefined>): ReindexArgs | undefined {
  const { values: v, positionals } = parseCommandLine(argv, { edge: { type: "string" }, token: { type: "string" }, help: { type: "boolean", short: "h" } });
  if (v.help) return undefined;
  const problems: string[] = [];
  if (positionals.length > 0) problems.push(`unexpected ${JSON.stringify(positionals[0])}`);
  const edge = edgeOption(v.edge, env, problems);
  const auth = adminAuthOption(v.token, env, problems);
  if (problems.length > 0) throw new UsageError(problems.join("\n"));
  return { edge, auth };
}

runCli({
  parse: parseReindexArgs,
  usage: USAGE,
  async run({ edge, auth }) {
    const token = "token" in auth ? auth.token : await adminToken(edge, auth.email, auth.password);
    const search = createClient(SearchService, createConnectTransport({ baseUrl: edge, httpVersion: "1.1" }));
    // A rebuild reads the whole catalog: far longer than an ordinary call may take.
    const answer = await search.reindex({}, { headers: { authorization: `Bearer ${token}` }, timeoutMs: 10 * 60_000 });
    console.log(`indexed ${answer.indexedCount} titles in ${answer.tookMs} ms`);
    return 0;
  },
});
