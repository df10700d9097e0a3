import { configurationError } from "../errors/SmtpEmailError";
import { malformedTokenResponse, tokenRequestFailure, type TokenFailureContext } from "./tokenFailure";
import type { IssuedToken } from "./tokenSource";

export interface TokenEndpointUrl {
  url: URL;
  /** Origin and path, for messages: no query string, which could carry something private. */
  label: string;
}

export function parseTokenUrl(url: string, field: string): TokenEndpointUrl {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw configurationError(field, "The token endpoint URL is not a valid URL.", "Enter the provider's token URL, e.g. https://login.microsoftonline.com/<tenant>/oauth2/v2.0/token.");
  }
  return { url: parsed, label: `${parsed.origin}${parsed.pathname}` };
}

export interface TokenGrant {
  endpoint: TokenEndpointUrl;
  /** grant_type and its parameters (scope, refresh_token). */
  params: Record<string, string>;
  clientId: string;
  clientSecret: string;
  /** "body": client_id and client_secret as form fields; "header": HTTP Basic (RFC 6749 §2.3.1). */
  clientAuth: "body" | "header";
  /** Cancels the request; it ends when the last send waiting for it has run out of time. */
  signal: AbortSignal;
}

/**
 * Asks a token endpoint for an access token (RFC 6749 §4.4 and §6) and checks the answer.
 * Rejects with an SmtpEmailError only.
 */
export async function requestToken(grant: TokenGrant, ctx: TokenFailureContext): Promise<IssuedToken> {
  const { endpoint, params, clientId, clientSecret, clientAuth, signal } = grant;
  const form = clientAuth === "body" ? { ...params, client_id: clientId, client_secret: clientSecret } : params;
  const obtainedAt = Date.now();
  let response;
  try {
    // HTTP is loaded by sends that ask for a token, when they first do.
    const { postForm } = await import("./tokenHttp");
    response = await postForm({ url: endpoint.url, form, ...(clientAuth === "header" && { basic: { id: clientId, secret: clientSecret } }), signal });
  } catch (error) {
    throw tokenRequestFailure(error, ctx);
  }
  if (response.status < 200 || response.status > 299) throw tokenRequestFailure({ status: response.status, payload: response.json }, ctx);
  return toIssuedToken(response.json, obtainedAt, ctx);
}

/** RFC 6749 §5.1: access_token and token_type are required, expires_in and refresh_token optional. */
function toIssuedToken(json: unknown, obtainedAt: number, ctx: TokenFailureContext): IssuedToken {
  if (typeof json !== "object" || json === null || Array.isArray(json)) throw malformedTokenResponse(ctx, "a JSON token response");
  const body = json as Record<string, unknown>;
  const accessToken = body.access_token;
  // RFC 6749 Appendix A.12: visible ASCII. Anything else is not a token and would corrupt the AUTH command.
  if (typeof accessToken !== "string" || !/^[\x20-\x7e]+$/.test(accessToken)) throw malformedTokenResponse(ctx, "an access_token");
  if (body.token_type !== undefined && (typeof body.token_type !== "string" || body.token_type.toLowerCase() !== "bearer")) {
    throw malformedTokenResponse(ctx, "a Bearer token (token_type)");
  }
  const expiresIn = typeof body.expires_in === "string" && body.expires_in.trim() !== "" ? Number(body.expires_in) : body.expires_in;
  const expiresAt = typeof expiresIn === "number" && Number.isFinite(expiresIn) && expiresIn >= 0 ? obtainedAt + expiresIn * 1000 : undefined;
  const refreshToken = typeof body.refresh_token === "string" && body.refresh_token !== "" ? body.refresh_token : undefined;
  return { accessToken, obtainedAt, ...(expiresAt !== undefined && { expiresAt }), ...(refreshToken !== undefined && { refreshToken }) };
}
