import type { ClientCredentialsConnectionConfig } from "../config/connectionConfigs";
import { SecretSet } from "../result/redactSecrets";
import { credentialHash } from "./credentialHash";
import { buildOAuthClient, splitTokenUrl, toIssuedToken, tokenRequestOptions } from "./tokenEndpoint";
import { tokenRequestFailure, type TokenFailureContext } from "./toSmtpEmailError";
import type { TokenSource } from "./tokenSource";

const FIELD = "clientCredentialsConnection";

/**
 * Tokens from the client-credentials grant (what Microsoft 365 needs for SMTP.SendAsApp).
 * `clientAuthStyle` "body" sends client_id/client_secret as form fields (Microsoft), "header"
 * as an HTTP Basic Authorization header (RFC 6749's preferred way, required by some providers).
 */
export function clientCredentialsTokenSource(connection: ClientCredentialsConnectionConfig, clientAuthStyle: "body" | "header", timeoutMs: number): TokenSource {
  const url = splitTokenUrl(connection.tokenEndpointUrl, FIELD);
  const ctx: TokenFailureContext = { endpoint: url.label, grant: "client_credentials", field: FIELD, secrets: new SecretSet({ clientId: connection.clientId }).add(connection.clientSecret, "clientSecret"), timeoutMs };
  return {
    key: credentialHash("oauth2-client-credentials", connection.tokenEndpointUrl, connection.clientId, connection.clientSecret, connection.scope, clientAuthStyle),
    endpoint: url.label,
    renewable: true,
    async fetch() {
      // Loaded on first use: only OAuth2 sends need it, and it is one of the heaviest modules to load.
      const { ClientCredentials } = await import("simple-oauth2");
      const client = buildOAuthClient(
        (options) => new ClientCredentials(options),
        {
          client: { id: connection.clientId, secret: connection.clientSecret },
          auth: { tokenHost: url.tokenHost, tokenPath: url.tokenPath },
          options: { authorizationMethod: clientAuthStyle },
        },
        FIELD,
      );
      const obtainedAt = Date.now();
      try {
        const issued = await client.getToken(connection.scope !== undefined ? { scope: connection.scope } : {}, tokenRequestOptions(timeoutMs));
        return toIssuedToken(issued.token, obtainedAt, ctx);
      } catch (error) {
        throw tokenRequestFailure(error, ctx);
      }
    },
  };
}
