import type { AuthConfig } from "./transportConfig";

/** The login name: what the server authenticates, and the natural default From address. */
export function authenticatedUser(auth: AuthConfig): string | undefined {
  switch (auth.method) {
    case "none":
      return undefined;
    case "basic":
      return auth.connection.username;
    case "oauth2":
    case "oauth2ClientCredentials":
      return auth.connection.user;
  }
}
