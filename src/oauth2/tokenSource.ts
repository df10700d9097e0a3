/** An OAuth2 access token as this extension keeps it. */
export interface IssuedToken {
  accessToken: string;
  /** Unix ms after which the token is invalid; undefined when the issuer did not say. */
  expiresAt?: number;
  /** Unix ms when it was obtained; undefined for a token pasted into a connection. */
  obtainedAt?: number;
  /** A new refresh token the endpoint issued along with this one (rotation). */
  refreshToken?: string;
}

/** Where the access tokens for one credential come from. */
export interface TokenSource {
  /** HMAC of the credential (see credentialHash): the token cache key. Never the secret itself. */
  readonly key: string;
  /** The token endpoint as origin and path, for messages (nothing secret). */
  readonly endpoint: string;
  /** A token configured on the connection, used before the endpoint is asked for one. */
  readonly initialToken?: IssuedToken;
  /** False when there is no way to get a new token (an access token without a refresh token). */
  readonly renewable: boolean;
  /**
   * Asks the endpoint for a new token. `latestRefreshToken` is the newest rotated refresh token,
   * undefined while the configured one is still current. `signal` cancels the request (and closes its
   * socket) once no send waits for it any more. Rejects with an SmtpEmailError.
   */
  fetch(latestRefreshToken: string | undefined, signal: AbortSignal): Promise<IssuedToken>;
}
