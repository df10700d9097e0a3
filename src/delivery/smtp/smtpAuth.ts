import type { SMTPConnectionAuth } from "nodemailer/lib/smtp-connection";
import type { SMTPTransportAuthOptions } from "nodemailer/lib/smtp-transport";
import type { XOAuth2ProvisionCallback } from "nodemailer/lib/xoauth2";
import type { AuthConfig } from "../../config/transportConfig";
import { credentialHash } from "../../oauth2/credentialHash";
import type { IssuedToken, TokenSource } from "../../oauth2/tokenSource";
import { TOKEN_REJECTED } from "./smtpFailure";

/**
 * Identifies the credential a pooled transport logs in with, hashed. With a token, the token is part
 * of it: a renewed token means a new transport, so no pooled connection outlives the token it
 * authenticated with by more than the sends already under way.
 */
export function credentialFingerprint(auth: AuthConfig, tokenSource: TokenSource | undefined, token: IssuedToken | undefined): string {
  switch (auth.method) {
    case "none":
      return "none";
    case "basic":
      return credentialHash("basic", auth.connection.username, auth.connection.password);
    default:
      return tokenFingerprint(tokenSource?.key, token);
  }
}

/**
 * A cached token is the same object on every send: its fingerprint is hashed once. Weak keys: an entry
 * lives as long as the token object, and refers to no text the token does not hold already.
 */
const tokenFingerprints = new WeakMap<IssuedToken, { sourceKey: string | undefined; accessToken: string; fingerprint: string }>();

function tokenFingerprint(sourceKey: string | undefined, token: IssuedToken | undefined): string {
  if (!token) return credentialHash("oauth2", sourceKey, undefined);
  const known = tokenFingerprints.get(token);
  if (known && known.sourceKey === sourceKey && known.accessToken === token.accessToken) return known.fingerprint;
  const fingerprint = credentialHash("oauth2", sourceKey, token.accessToken);
  tokenFingerprints.set(token, { sourceKey, accessToken: token.accessToken, fingerprint });
  return fingerprint;
}

/**
 * nodemailer asks its token provider for a new token when the server answers XOAUTH2 with a 334
 * challenge. Renewing inside nodemailer would bypass the token cache's single-flight and the
 * one-retry rule, so report the rejection instead: the login fails with EAUTH, and withAccessToken
 * renews once and retries on a fresh connection. A server answering 535 straight away takes the same path.
 */
const reportRejection: XOAuth2ProvisionCallback = (_user, _renew, callback) => {
  callback(Object.assign(new Error("The server rejected the access token."), { code: TOKEN_REJECTED }));
};

/** Auth settings for a pooled transport: user and password (nodemailer picks PLAIN or LOGIN), or XOAUTH2 with a ready token. */
export function transportAuth(auth: AuthConfig, token: IssuedToken | undefined): SMTPTransportAuthOptions | undefined {
  switch (auth.method) {
    case "none":
      return undefined;
    case "basic":
      return { user: auth.connection.username, pass: auth.connection.password };
    default:
      return { type: "OAuth2", user: auth.connection.user, accessToken: token?.accessToken, provisionCallback: reportRejection };
  }
}

/** The same credentials as a login for a single SMTPConnection (used to verify without sending). */
export async function connectionLogin(auth: AuthConfig, token: IssuedToken | undefined): Promise<SMTPConnectionAuth | undefined> {
  switch (auth.method) {
    case "none":
      return undefined;
    case "basic": {
      const { username: user, password: pass } = auth.connection;
      return { user, pass, credentials: { user, pass }, method: false };
    }
    default: {
      const user = auth.connection.user;
      // Loaded by OAuth2 logins only, once their token is there: not on the way to a cold connect.
      const { xoauth2Login } = await import("./xoauth2Login");
      return xoauth2Login(user, token?.accessToken, reportRejection);
    }
  }
}


/**
 * Whether a failed SMTP attempt means the server rejected the access token, so that withAccessToken
 * renews it once and retries: nodemailer's EAUTH, except a refusal to log in before STARTTLS, which no token fixes.
 */
export function isSmtpTokenRejection(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const { code, responseCode } = error as { code?: unknown; responseCode?: unknown };
  return code === "EAUTH" && responseCode !== 530 && responseCode !== 538;
}
