import type { OAuth2ConnectionConfig } from "../config/connectionConfigs";
import { SmtpEmailError } from "../errors/SmtpEmailError";
import { SecretSet } from "../result/redactSecrets";
import { credentialHash } from "./credentialHash";
import { parseTokenUrl, requestToken } from "./tokenEndpoint";
import type { TokenFailureContext } from "./tokenFailure";
import type { TokenSource } from "./tokenSource";

const FIELD = "oauth2Connection";

/**
 * Tokens for an OAuth2 (refresh token) connection: its accessToken while expiryDate is ahead,
 * then new ones from accessUrl with the refresh_token grant (client ID and secret in the body,
 * as Google and nodemailer do it).
 */
export function refreshTokenSource(connection: OAuth2ConnectionConfig, timeoutMs: number): TokenSource {
  const endpoint = parseTokenUrl(connection.accessUrl, FIELD);
  const { clientId, clientSecret, refreshToken } = connection;
  const ctx: TokenFailureContext = {
    endpoint: endpoint.label,
    grant: "refresh_token",
    field: FIELD,
    secrets: new SecretSet({ user: connection.user, clientId }).add(clientSecret, "clientSecret").add(refreshToken, "other").add(connection.accessToken, "accessToken"),
    timeoutMs,
  };
  const renewable = Boolean(refreshToken && clientId && clientSecret);
  return {
    // The configured access token is part of the credential: pasting a new one must not hit an old cache entry.
    key: credentialHash("oauth2-refresh-token", connection.accessUrl, clientId, clientSecret, refreshToken, connection.accessToken, connection.expiryDate),
    endpoint: endpoint.label,
    initialToken: connection.accessToken ? { accessToken: connection.accessToken, ...(connection.expiryDate !== undefined && { expiresAt: connection.expiryDate }) } : undefined,
    renewable,
    async fetch(latestRefreshToken, signal) {
      if (!renewable || !clientId || !clientSecret || !refreshToken) throw cannotRenew(connection.expiryDate);
      const current = latestRefreshToken ?? refreshToken;
      ctx.secrets.add(latestRefreshToken, "other");
      // The endpoint may rotate the refresh token; the cache keeps the newest for the next request.
      return requestToken({ endpoint, params: { grant_type: "refresh_token", refresh_token: current }, clientId, clientSecret, clientAuth: "body", signal }, ctx);
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
