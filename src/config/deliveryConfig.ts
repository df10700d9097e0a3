import type { ConfigIssues } from "./configIssues";
import { isTlsOrLoopback } from "./secureUrl";

/** How a message leaves: through an SMTP server, or through Microsoft Graph's sendMail. */
export type DeliveryConfig = { kind: "smtp" } | { kind: "graph"; /** The Graph endpoint's origin, e.g. https://graph.microsoft.com. */ endpoint: string };

export const DEFAULT_GRAPH_ENDPOINT = "https://graph.microsoft.com";

const ENDPOINT_EXAMPLES =
  "https://graph.microsoft.com (global), https://graph.microsoft.us (US Government L4), https://dod-graph.microsoft.us (US Government L5, DoD) or https://microsoftgraph.chinacloudapi.cn (China, operated by 21Vianet)";

/** The scope of a client-credentials token for Graph: the endpoint's `.default`, which grants the app's consented permissions. */
export function graphScope(endpoint: string): string {
  return `${endpoint}/.default`;
}

/**
 * The Graph endpoint as an origin: https (plain http only for loopback, for local tests), no user
 * info, path, query or fragment, since the node adds the path itself and the bearer token goes there.
 */
export function toDeliveryConfig(delivery: "smtp" | "graph", rawEndpoint: string | undefined, ctx: ConfigIssues): DeliveryConfig {
  if (delivery === "smtp") return { kind: "smtp" };
  const text = rawEndpoint ?? DEFAULT_GRAPH_ENDPOINT;
  const issue = (problem: string) => {
    ctx.addIssue({ code: "custom", path: ["graphEndpoint"], message: `Graph Endpoint ${problem}: use ${ENDPOINT_EXAMPLES}.` });
    return { kind: "graph" as const, endpoint: DEFAULT_GRAPH_ENDPOINT };
  };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return issue(`"${text.slice(0, 100)}" is not a URL`);
  }
  if (!isTlsOrLoopback(url)) return issue("must use https (the access token goes there; plain http is allowed only for loopback addresses, for testing)");
  if (url.username || url.password || (url.pathname !== "/" && url.pathname !== "") || url.search || url.hash) {
    return issue("must be the endpoint alone, without a path such as /v1.0, a query or a login");
  }
  return { kind: "graph", endpoint: url.origin };
}
