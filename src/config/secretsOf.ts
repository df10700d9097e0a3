import type { AuthConfig } from "./transportConfig";

/** The secret values of a connection, so they can be redacted from anything logged or stored. */
export function secretsOf(auth: AuthConfig): string[] {
  switch (auth.method) {
    case "none":
      return [];
    case "basic":
      return [auth.connection.password];
    case "oauth2":
      return [auth.connection.clientSecret, auth.connection.accessToken, auth.connection.refreshToken].filter((value): value is string => !!value);
    case "oauth2ClientCredentials":
      return [auth.connection.clientSecret];
  }
}
