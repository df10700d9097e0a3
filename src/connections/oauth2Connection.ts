import type { ConnectionSchema } from "./connectionSchema";
import { optional } from "./connectionSchema";

/**
 * OAuth2 with a refresh token (XOAUTH2), as Cognigy's built-in node has it.
 * Deprecated there in favour of client credentials, kept so existing connections keep working.
 * Optional as in Cognigy's own email_oauth2 connection, and accessToken too: a refresh token alone is the
 * usual set-up (the node fetches the access token), and the config check asks for one of the two.
 */
export const oauth2Connection: ConnectionSchema = {
  type: "smtp-oauth2",
  label: "SMTP OAuth2 with refresh token (deprecated)",
  fields: [
    { fieldName: "user" },
    { fieldName: "clientId" },
    { fieldName: "clientSecret" },
    optional("accessToken"),
    optional("refreshToken"),
    optional("expiryDate"),
    // Empty: Google's token URL, as in Cognigy's own connection.
    optional("accessUrl"),
    // Empty: the node's Connection Security decides.
    optional("tlsOption"),
  ],
};
