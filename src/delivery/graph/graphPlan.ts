import { authenticatedUser } from "../../config/authenticatedUser";
import { derivedOnce } from "../../config/derivedOnce";
import { isFrozenTransportConfig, type TransportConfig } from "../../config/transportConfig";
import { configurationError } from "../../errors/SmtpEmailError";
import { tokenSourceFor } from "../../oauth2/tokenSources";
import type { TokenSource } from "../../oauth2/tokenSource";

/** Everything derived from a config that sending and checking through Graph share. */
export interface GraphPlan {
  /** The Graph endpoint's origin, e.g. https://graph.microsoft.com. */
  endpoint: string;
  /** Its host, for messages. */
  host: string;
  secure: boolean;
  /** The connection's user: the mailbox sent from when Custom From is empty. */
  user: string;
  tokenSource: TokenSource;
}

/** Plans of frozen (remembered) configs, kept as long as the config: no credential hash per send. */
const plansOfFrozenConfigs = new WeakMap<TransportConfig, GraphPlan>();

export function planGraph(config: TransportConfig): GraphPlan {
  return derivedOnce(plansOfFrozenConfigs, config, isFrozenTransportConfig(config), buildPlan);
}

function buildPlan(config: TransportConfig): GraphPlan {
  const { delivery, auth } = config;
  // The config parser allows Graph with client credentials only; this guards code that builds configs by hand.
  if (delivery.kind !== "graph" || auth.method !== "oauth2ClientCredentials") {
    throw configurationError("authMethod", "Microsoft Graph needs an OAuth2 Client Credentials connection.", "Set Authentication Method to OAuth2 Client Credentials.");
  }
  const url = new URL(delivery.endpoint);
  const tokenSource = tokenSourceFor(auth, config.options.timeoutMs);
  if (!tokenSource) throw configurationError("authMethod", "Microsoft Graph needs an access token.", "Set Authentication Method to OAuth2 Client Credentials.");
  return { endpoint: url.origin, host: url.host, secure: url.protocol === "https:", user: authenticatedUser(auth) ?? "", tokenSource };
}
