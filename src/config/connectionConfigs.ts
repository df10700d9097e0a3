import * as z from "zod/mini";
import { builtOnFirstUse } from "./builtOnFirstUse";
import { choice, preprocess, optionalNumber, optionalRawText, optionalText } from "./rawValues";
import { graphScope, type DeliveryConfig } from "./deliveryConfig";
import { isTlsOrLoopback } from "./secureUrl";

/** Google's token URL: the default of Cognigy's own OAuth2 connection. */
export const DEFAULT_OAUTH2_ACCESS_URL = "https://accounts.google.com/o/oauth2/token";

const required = (connection: string, field: string, fix: string) =>
  preprocess(
    (value) => (typeof value === "string" ? value.trim() : value),
    z.string({ error: `The ${connection} connection has no ${field}: ${fix}` }).check(z.minLength(1, { error: `The ${connection} connection has no ${field}: ${fix}` })),
  );

/** Passwords and secrets are taken exactly as entered: a leading space can be part of them. */
const requiredSecret = (connection: string, field: string, fix: string) =>
  z.string({ error: `The ${connection} connection has no ${field}: ${fix}` }).check(z.minLength(1, { error: `The ${connection} connection has no ${field}: ${fix}` }));

/**
 * A token endpoint receives the client secret or refresh token: only over TLS. Plain http is allowed
 * for loopback addresses alone (127.0.0.0/8, ::1, localhost), so a token endpoint can be tested locally.
 */
const tokenUrl = (connection: string, field: string) =>
  z.url({ protocol: /^https?$/, error: `The ${connection} connection's ${field} must be an https URL, e.g. https://login.microsoftonline.com/<tenant>/oauth2/v2.0/token.` }).check(
    z.refine((url) => isTlsOrLoopback(new URL(url)), {
      error: `The ${connection} connection's ${field} must use https: the client secret and tokens must not cross the network in clear text (plain http is allowed only for loopback addresses such as localhost or 127.0.0.1, for testing).`,
    }),
  );

export const basicAuthConnectionConfig = builtOnFirstUse(() =>
  z.object({
    username: required("Basic Auth", "username", "enter the mailbox login, usually the full email address."),
    password: requiredSecret("Basic Auth", "password", "enter the mailbox password or, for Gmail and other 2FA accounts, an app password."),
  }),
);

export const oauth2ConnectionConfig = builtOnFirstUse(() =>
  z
    .object({
      user: required("OAuth2", "user", "enter the email address of the mailbox the token belongs to."),
      clientId: optionalText("OAuth2 clientId"),
      clientSecret: optionalRawText("OAuth2 clientSecret"),
      accessToken: optionalRawText("OAuth2 accessToken"),
      refreshToken: optionalRawText("OAuth2 refreshToken"),
      expiryDate: optionalNumber("OAuth2 expiryDate (Unix time in milliseconds)"),
      accessUrl: preprocess((value) => (typeof value === "string" && value.trim() ? value.trim() : DEFAULT_OAUTH2_ACCESS_URL), tokenUrl("OAuth2", "accessUrl")),
      tlsOption: preprocess(
        (value) => (typeof value === "string" ? value.trim().toLowerCase() || undefined : undefined),
        z.optional(z.enum(["tls", "starttls", "none"], { error: "The OAuth2 connection's tlsOption must be tls, starttls or none." })),
      ),
    })
    .check(
      z.superRefine((connection, ctx) => {
        if (!connection.accessToken && !connection.refreshToken) {
          ctx.addIssue({ code: "custom", message: "The OAuth2 connection has neither accessToken nor refreshToken: enter at least one." });
        }
        if (connection.refreshToken && (!connection.clientId || !connection.clientSecret)) {
          ctx.addIssue({ code: "custom", message: "The OAuth2 connection has a refreshToken but no clientId or clientSecret: both are needed to renew the access token." });
        }
      }),
    ),
);

/** Microsoft's token endpoint refuses a client-credentials request without a scope; SMTP needs this one. */
export const MICROSOFT_SMTP_SCOPE = "https://outlook.office365.com/.default";
const MICROSOFT_TOKEN_HOST = "login.microsoftonline.com";

const noTokenEndpoint = "The OAuth2 Client Credentials connection has no tokenEndpointUrl: enter e.g. https://login.microsoftonline.com/<tenant>/oauth2/v2.0/token.";

const clientCredentialsFields = () =>
  z.object({
    tokenEndpointUrl: preprocess(
      (value) => (typeof value === "string" ? value.trim() : value),
      z.pipe(z.string({ error: noTokenEndpoint }).check(z.minLength(1, { error: noTokenEndpoint })), tokenUrl("OAuth2 Client Credentials", "tokenEndpointUrl")),
    ),
    clientId: required("OAuth2 Client Credentials", "clientId", "enter the application (client) ID."),
    clientSecret: requiredSecret("OAuth2 Client Credentials", "clientSecret", "enter the client secret value (not its ID)."),
    scope: optionalText("OAuth2 Client Credentials scope"),
    user: required("OAuth2 Client Credentials", "user", "enter the email address of the sender mailbox."),
  });

export const clientCredentialsConnectionConfig = builtOnFirstUse(clientCredentialsFields);

/**
 * The scope to ask for when the connection leaves it empty, which depends on where the token goes:
 * Graph's `.default` for the Graph delivery; for SMTP, Microsoft's SMTP scope when the token endpoint
 * is Microsoft's (it refuses a client-credentials request without a scope), otherwise none.
 */
export function withDefaultScope(connection: ClientCredentialsConnectionConfig, delivery: DeliveryConfig): ClientCredentialsConnectionConfig {
  if (connection.scope !== undefined) return connection;
  if (delivery.kind === "graph") return { ...connection, scope: graphScope(delivery.endpoint) };
  return isMicrosoftTokenEndpoint(connection.tokenEndpointUrl) ? { ...connection, scope: MICROSOFT_SMTP_SCOPE } : connection;
}

function isMicrosoftTokenEndpoint(url: string): boolean {
  try {
    return new URL(url).hostname.toLowerCase() === MICROSOFT_TOKEN_HOST;
  } catch {
    return false;
  }
}

export type BasicAuthConnectionConfig = z.infer<ReturnType<typeof basicAuthConnectionConfig>>;
export type OAuth2ConnectionConfig = z.infer<ReturnType<typeof oauth2ConnectionConfig>>;
export type ClientCredentialsConnectionConfig = z.infer<ReturnType<typeof clientCredentialsConnectionConfig>>;

export const clientAuthStyle = choice("Client Authentication at Token Endpoint (clientAuthStyle)", ["body", "header"] as const, "body");
