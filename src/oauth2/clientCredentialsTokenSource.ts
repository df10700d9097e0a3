import type { ClientCredentialsConnectionConfig } from "../config/connectionConfigs";
import { SecretSet } from "../result/redactSecrets";
import { credentialHash } from "./credentialHash";
import { parseTokenUrl, requestToken } from "./tokenEndpoint";
import type { TokenFailureContext } from "./tokenFailure";
import type { TokenSource } from "./tokenSource";

const FIELD = "clientCredentialsConnection";

/**
 * Tokens from the client-credentials grant (what Microsoft 365 needs for SMTP.SendAsApp).
 * `clientAuthStyle` "body" sends client_id/client_secret as form fields (Microsoft), "header"
 * as an HTTP Basic Authorization header (RFC 6749's preferred way, required by some providers).
 */
export function clientCredentialsTokenSource(connection: ClientCredentialsConnectionConfig, clientAuthStyle: "body" | "header", timeoutMs: number): TokenSource {
  const endpoint = parseTokenUrl(connection.tokenEndpointUrl, FIELD);
  const ctx: TokenFailureContext = { endpoint: endpoint.label, grant: "client_credentials", field: FIELD, secrets: new SecretSet({ clientId: connection.clientId }).add(connection.clientSecret, "clientSecret"), timeoutMs };
  return {
    key: credentialHash("oauth2-client-credentials", connection.tokenEndpointUrl, connection.clientId, connection.clientSecret, connection.scope, clientAuthStyle),
    endpoint: endpoint.label,
    renewable: true,
    fetch: (_latestRefreshToken, signal) =>
      requestToken(
        {
          endpoint,
          params: { grant_type: "client_credentials", ...(connection.scope !== undefined && { scope: connection.scope }) },
          clientId: connection.clientId,
          clientSecret: connection.clientSecret,
          clientAuth: clientAuthStyle,
          signal,
        },
        ctx,
      ),
  };
}
