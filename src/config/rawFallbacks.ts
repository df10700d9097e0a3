/**
 * What a node still needs to read when its config failed to parse: the secrets to redact from the
 * error it reports, and whether to halt the flow.
 */

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

/** Stop on Error read straight from raw config, for when the config itself failed to parse. */
export function rawStopOnError(raw: unknown): boolean {
  const value = raw && typeof raw === "object" ? (raw as Record<string, unknown>).stopOnError : undefined;
  return value === true || value === "true";
}
