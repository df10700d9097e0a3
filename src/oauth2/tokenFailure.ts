/**
 * Where a token endpoint's failures (no answer, an OAuth2 error answer, an unusable token response)
 * become SmtpEmailErrors, for any delivery that needs a token. Messages quote the endpoint's own error
 * and description, which are usually the most precise diagnosis; they never contain a raw library
 * message, a client secret or a token.
 */
import { CERTIFICATE_PROBLEMS } from "../errors/certificateProblems";
import { quoteReply } from "../errors/quoteReply";
import { ownError, SmtpEmailError, type SmtpEmailErrorCode, type SmtpEmailErrorDetails } from "../errors/SmtpEmailError";
import { maskBase64Runs } from "../result/maskBase64Runs";
import type { SecretSet } from "../result/redactSecrets";
import { HttpRequestFailure } from "../http/httpRequestFailure";

export interface TokenFailureContext {
  /** Token endpoint as origin and path. */
  endpoint: string;
  grant: "refresh_token" | "client_credentials";
  /** Connection field key, e.g. "clientCredentialsConnection". */
  field: string;
  secrets: SecretSet;
  timeoutMs: number;
}

const TOKEN_ERROR_HINTS: Record<string, (grant: TokenFailureContext["grant"]) => string> = {
  invalid_client: () =>
    "Check clientId and clientSecret in the connection. For Microsoft Entra ID use the secret's Value, not its Secret ID, and check that it has not expired. If the provider expects the credentials in an HTTP Basic header (or in the body), switch Client Authentication at Token Endpoint.",
  invalid_grant: (grant) =>
    grant === "refresh_token"
      ? "The refresh token is expired, revoked or already used: authorize again and put the new refresh token into the OAuth2 connection."
      : "The endpoint refused the grant: check the tenant in the token URL and the app's permissions.",
  invalid_scope: () => "Check scope in the connection: Microsoft 365 SMTP needs https://outlook.office365.com/.default.",
  unauthorized_client: () => "The app may not use this grant type: allow it in the app registration.",
  unsupported_grant_type: () => "The endpoint does not support this grant type: check the token URL.",
  invalid_request: () => "The endpoint did not accept the request: check the token URL and Client Authentication at Token Endpoint (body or header).",
  temporarily_unavailable: () => "The identity provider has a problem right now; try again later.",
  server_error: () => "The identity provider has a problem right now; try again later.",
};

export function tokenRequestFailure(error: unknown, ctx: TokenFailureContext): SmtpEmailError {
  const own = ownError(error);
  if (own) return own;
  const facts = readTokenFailure(error);
  const details: SmtpEmailErrorDetails = { field: ctx.field, ...(facts.libraryCode && { libraryCode: facts.libraryCode }) };
  const fail = (code: SmtpEmailErrorCode, message: string, hint: string) => new SmtpEmailError(code, message, hint, details);

  if (facts.timedOut) {
    return fail("timeout", `The token endpoint ${ctx.endpoint} did not answer before the time ran out (Total Timeout ${Math.round(ctx.timeoutMs / 1000)} s).`, "Check that the token URL is reachable from Cognigy, or raise Total Timeout.");
  }
  if (facts.tooLarge) {
    return fail("token", `The token endpoint ${ctx.endpoint} answered with far more data than a token response holds.`, "Check the token URL: it should be the provider's OAuth2 token endpoint.");
  }
  if (facts.responseStatus !== undefined) {
    const oauthError = facts.payload ? textField(facts.payload, "error") : undefined;
    if (oauthError) {
      const description = facts.payload ? textField(facts.payload, "error_description") : undefined;
      // An endpoint may echo its request (the client secret, an HTTP Basic header): no long Base64 run is shown.
      const reason = maskBase64Runs(quoteReply(description ? `${oauthError}: ${description}` : oauthError, ctx.secrets));
      const hint = tokenEndpointReplyHint(description) ?? TOKEN_ERROR_HINTS[oauthError]?.(ctx.grant) ?? "Check the token URL and the connection's client settings.";
      return fail("token", `The token endpoint ${ctx.endpoint} refused the request (HTTP ${facts.responseStatus}): ${reason}`, hint);
    }
    return fail(
      "token",
      `The token endpoint ${ctx.endpoint} answered HTTP ${facts.responseStatus}${facts.payload ? "" : " without an OAuth2 JSON body"}.`,
      facts.responseStatus >= 500 ? "The identity provider has a problem right now; try again later." : "Check the token URL: it should be the provider's OAuth2 token endpoint.",
    );
  }
  const systemCode = facts.libraryCode;
  if (systemCode && CERTIFICATE_PROBLEMS[systemCode]) {
    return fail("token", `The TLS certificate of the token endpoint ${ctx.endpoint} ${CERTIFICATE_PROBLEMS[systemCode].what} (${systemCode}).`, "Check the token URL; it must be the provider's public endpoint.");
  }
  return fail(
    "token",
    `The token endpoint ${ctx.endpoint} could not be reached${systemCode ? ` (${systemCode})` : ""}.`,
    "Check the token URL and that Cognigy can reach it (proxy, firewall).",
  );
}

/** A token endpoint answered 2xx but the body is not a usable token response. */
export function malformedTokenResponse(ctx: TokenFailureContext, problem: string): SmtpEmailError {
  return new SmtpEmailError("token", `The token endpoint ${ctx.endpoint} answered without ${problem}.`, "Check the token URL: it should be the provider's OAuth2 token endpoint.", { field: ctx.field });
}

interface TokenFailureFacts {
  timedOut: boolean;
  /** HTTP status of an answer the endpoint gave, if it answered at all. */
  responseStatus?: number;
  payload?: Record<string, unknown>;
  /** A system error code behind a network failure, e.g. ECONNREFUSED. */
  libraryCode?: string;
  tooLarge: boolean;
}

/** A request that got no usable answer (HttpRequestFailure), or an HTTP error answer as `{ status, payload }`. */
function readTokenFailure(error: unknown): TokenFailureFacts {
  if (error instanceof HttpRequestFailure) {
    return { timedOut: error.reason === "aborted", tooLarge: error.reason === "too-large", ...(error.systemCode && { libraryCode: error.systemCode }) };
  }
  const record = isRecord(error) ? error : {};
  const payload = isRecord(record.payload) && !Array.isArray(record.payload) ? record.payload : undefined;
  return { timedOut: false, tooLarge: false, ...(typeof record.status === "number" && { responseStatus: record.status }), ...(payload && { payload }) };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

function textField(record: Record<string, unknown>, key: string): string | undefined {
  const value = record[key];
  return typeof value === "string" && value.trim() ? value.trim() : undefined;
}

/**
 * Replies that Entra ID gives for the failures users hit most, each with the fix that works. Matched
 * on the endpoint's own error description, so they apply whatever the grant.
 */
const TOKEN_ENDPOINT_REPLIES: Array<{ pattern: RegExp; hint: string }> = [
  { pattern: /AADSTS7000215/, hint: "Entra ID: the client secret is wrong. Use the secret's Value (shown once when created), not its Secret ID." },
  { pattern: /AADSTS7000222/, hint: "Entra ID: the client secret has expired. Create a new one under Certificates & secrets and update the connection." },
  { pattern: /AADSTS700016/, hint: "Entra ID: no app with this client ID exists in the tenant. Check clientId and the tenant ID in the token URL, and that the app is multitenant if it lives in another tenant." },
  { pattern: /AADSTS90002|AADSTS900023/, hint: "Entra ID: the tenant in the token URL does not exist. Use https://login.microsoftonline.com/<Directory (tenant) ID>/oauth2/v2.0/token." },
  { pattern: /AADSTS70011|AADSTS1002012/, hint: "Entra ID: the scope is invalid. For SMTP use exactly https://outlook.office365.com/.default." },
  { pattern: /AADSTS7000218/, hint: "Entra ID expects the client secret in the request body: set Client Authentication at Token Endpoint to request body." },
  { pattern: /AADSTS65001/, hint: "Entra ID: admin consent for the app's permissions is missing. Grant admin consent for SMTP.SendAsApp." },
];

export const tokenEndpointReplyHint = (description: string | undefined) => (description ? TOKEN_ENDPOINT_REPLIES.find((known) => known.pattern.test(description))?.hint : undefined);
