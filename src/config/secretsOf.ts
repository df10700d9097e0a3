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

/** Secret-looking values straight from raw node config, for when the config itself failed to parse. */
export function rawSecretsOf(raw: unknown): string[] {
  if (!raw || typeof raw !== "object") return [];
  const secrets: string[] = [];
  for (const key of ["basicConnection", "oauth2Connection", "clientCredentialsConnection"]) {
    const connection = (raw as Record<string, unknown>)[key];
    if (!connection || typeof connection !== "object") continue;
    for (const field of ["password", "clientSecret", "accessToken", "refreshToken"]) {
      const value = (connection as Record<string, unknown>)[field];
      if (typeof value === "string" && value) secrets.push(value);
    }
  }
  return secrets;
}
