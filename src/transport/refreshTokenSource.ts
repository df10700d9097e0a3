import type { OAuth2ConnectionConfig } from "../config/connectionConfigs";
import { SmtpEmailError } from "../errors/SmtpEmailError";
import { SecretSet } from "../result/redactSecrets";
import { credentialHash } from "./credentialHash";
import { buildOAuthClient, splitTokenUrl, toIssuedToken, tokenRequestOptions } from "./tokenEndpoint";
import { tokenRequestFailure, type TokenFailureContext } from "./toSmtpEmailError";
import type { TokenSource } from "./tokenSource";

const FIELD = "oauth2Connection";

/**
 * Tokens for an OAuth2 (refresh token) connection: its accessToken while expiryDate is ahead,
 * then new ones from accessUrl with the refresh_token grant (client ID and secret in the body,
 * as Google and nodemailer do it).
 */
export function refreshTokenSource(connection: OAuth2ConnectionConfig, timeoutMs: number): TokenSource {
  const url = splitTokenUrl(connection.accessUrl, FIELD);
  const { clientId, clientSecret, refreshToken } = connection;
  const ctx: TokenFailureContext = {
    endpoint: url.label,
    grant: "refresh_token",
    field: FIELD,
    secrets: new SecretSet({ user: connection.user, clientId }).add(clientSecret, "clientSecret").add(refreshToken, "other").add(connection.accessToken, "accessToken"),
    timeoutMs,
  };
  const renewable = Boolean(refreshToken && clientId && clientSecret);
  return {
    // The configured access token is part of the credential: pasting a new one must not hit an old cache entry.
    key: credentialHash("oauth2-refresh-token", connection.accessUrl, clientId, clientSecret, refreshToken, connection.accessToken, connection.expiryDate),
    endpoint: url.label,
    initialToken: connection.accessToken ? { accessToken: connection.accessToken, ...(connection.expiryDate !== undefined && { expiresAt: connection.expiryDate }) } : undefined,
    renewable,
    async fetch(latestRefreshToken) {
      if (!renewable || !clientId || !clientSecret || !refreshToken) throw cannotRenew(connection.expiryDate);
      // Loaded on first use: only OAuth2 sends need it, and it is one of the heaviest modules to load.
      const { AuthorizationCode } = await import("simple-oauth2");
      const client = buildOAuthClient(
        (options) => new AuthorizationCode(options),
        { client: { id: clientId, secret: clientSecret }, auth: { tokenHost: url.tokenHost, tokenPath: url.tokenPath }, options: { authorizationMethod: "body" } },
        FIELD,
      );
      ctx.secrets.add(latestRefreshToken, "other");
      const obtainedAt = Date.now();
      try {
        const renewed = await client.createToken({ refresh_token: latestRefreshToken ?? refreshToken }).refresh({}, tokenRequestOptions(timeoutMs));
        return toIssuedToken(renewed.token, obtainedAt, ctx);
      } catch (error) {
        throw tokenRequestFailure(error, ctx);
      }
    },
  };
}

function cannotRenew(expiryDate: number | undefined): SmtpEmailError {
  const when = expiryDate !== undefined ? ` at ${new Date(expiryDate).toISOString()}` : "";
  return new SmtpEmailError(
    "token",
    `The OAuth2 connection's accessToken expired${when} and the connection has no refreshToken to renew it.`,
    "Paste a current access token, or add refreshToken, clientId and clientSecret so the extension can renew it.",
    { field: FIELD },
  );
}
