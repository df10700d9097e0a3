import type { ModuleOptions, Token, WreckHttpOptions } from "simple-oauth2";
import { configurationError } from "../errors/SmtpEmailError";
import { malformedTokenResponse, type TokenFailureContext } from "./toSmtpEmailError";
import type { IssuedToken } from "./tokenSource";

/** A token response is a few hundred bytes; anything much larger is not one. */
const MAX_RESPONSE_BYTES = 64 * 1024;

export interface TokenEndpointUrl {
  /** simple-oauth2's tokenHost and tokenPath: it wants the URL split. */
  tokenHost: string;
  tokenPath: string;
  /** Origin and path, for messages: no query string, which could carry something private. */
  label: string;
}

export function splitTokenUrl(url: string, field: string): TokenEndpointUrl {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw configurationError(field, "The token endpoint URL is not a valid URL.", "Enter the provider's token URL, e.g. https://login.microsoftonline.com/<tenant>/oauth2/v2.0/token.");
  }
  return { tokenHost: parsed.origin, tokenPath: `${parsed.pathname}${parsed.search}`, label: `${parsed.origin}${parsed.pathname}` };
}

/** Per-request options: the whole request, connect to last byte, is bounded by the node's time budget. */
export function tokenRequestOptions(timeoutMs: number): WreckHttpOptions {
  return { timeout: Math.max(1, timeoutMs), maxBytes: MAX_RESPONSE_BYTES };
}

/**
 * simple-oauth2 validates its options with Joi, whose messages quote the offending value: a client
 * secret with a non-ASCII character would end up in the error text. Build the client here and
 * replace that error with one that names the field only.
 */
export function buildOAuthClient<T>(create: (options: ModuleOptions) => T, options: ModuleOptions, field: string): T {
  try {
    return create(options);
  } catch {
    throw configurationError(
      field,
      "The connection's client ID or client secret contains characters a token endpoint cannot take.",
      "Client ID and secret may only contain printable ASCII characters: copy them again from the app registration, without spaces or line breaks.",
    );
  }
}

/** simple-oauth2 has already turned expires_in into an expires_at Date. */
export function toIssuedToken(token: Token, obtainedAt: number, ctx: TokenFailureContext): IssuedToken {
  const accessToken = token.access_token;
  if (typeof accessToken !== "string" || accessToken === "") throw malformedTokenResponse(ctx, "an access_token");
  const expiresAt = token.expires_at instanceof Date && !Number.isNaN(token.expires_at.getTime()) ? token.expires_at.getTime() : undefined;
  const refreshToken = typeof token.refresh_token === "string" && token.refresh_token !== "" ? token.refresh_token : undefined;
  return { accessToken, obtainedAt, ...(expiresAt !== undefined && { expiresAt }), ...(refreshToken !== undefined && { refreshToken }) };
}
