import { SecretSet } from "../result/redactSecrets";
import type { AuthConfig } from "./transportConfig";

/**
 * The connection's secrets with every form they travel in (AUTH payloads, HTTP Basic), for one send.
 * Tokens obtained while sending are added to it as they arrive.
 */
export function secretSetOf(auth: AuthConfig): SecretSet {
  switch (auth.method) {
    case "none":
      return new SecretSet();
    case "basic":
      return new SecretSet({ user: auth.connection.username }).add(auth.connection.password, "password");
    case "oauth2": {
      const { user, clientId, clientSecret, accessToken, refreshToken } = auth.connection;
      return new SecretSet({ user, clientId }).add(clientSecret, "clientSecret").add(accessToken, "accessToken").add(refreshToken, "other");
    }
    case "oauth2ClientCredentials": {
      const { user, clientId, clientSecret } = auth.connection;
      return new SecretSet({ user, clientId }).add(clientSecret, "clientSecret");
    }
  }
}
