import type { IConnectionSchema } from "@cognigy/extension-tools";

/**
 * OAuth2 with a refresh token (XOAUTH2), as Cognigy's built-in node has it.
 * Deprecated there in favour of client credentials, kept so existing connections keep working.
 */
export const oauth2Connection: IConnectionSchema = {
  type: "smtp-oauth2",
  label: "SMTP OAuth2 with refresh token (deprecated)",
  fields: [
    { fieldName: "user" },
    { fieldName: "clientId" },
    { fieldName: "clientSecret" },
    { fieldName: "accessToken" },
    { fieldName: "refreshToken" },
    { fieldName: "expiryDate" },
    { fieldName: "accessUrl" },
    { fieldName: "tlsOption" },
  ],
};
