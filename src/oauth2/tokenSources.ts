import type { AuthConfig } from "../config/transportConfig";
import { clientCredentialsTokenSource } from "./clientCredentialsTokenSource";
import { refreshTokenSource } from "./refreshTokenSource";
import type { TokenSource } from "./tokenSource";

/** Where OAuth2 access tokens come from; undefined for methods without tokens. */
export function tokenSourceFor(auth: AuthConfig, timeoutMs: number): TokenSource | undefined {
  switch (auth.method) {
    case "oauth2":
      return refreshTokenSource(auth.connection, timeoutMs);
    case "oauth2ClientCredentials":
      return clientCredentialsTokenSource(auth.connection, auth.clientAuthStyle, timeoutMs);
    default:
      return undefined;
  }
}
