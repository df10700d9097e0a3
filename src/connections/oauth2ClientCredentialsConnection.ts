import type { ConnectionSchema } from "./connectionSchema";
import { optional } from "./connectionSchema";

/** OAuth2 client-credentials grant, then XOAUTH2: what Microsoft 365 needs (SMTP.SendAsApp). */
export const oauth2ClientCredentialsConnection: ConnectionSchema = {
  type: "smtp-oauth2-client-credentials",
  label: "SMTP OAuth2 Client Credentials (Microsoft 365)",
  fields: [
    { fieldName: "tokenEndpointUrl" },
    { fieldName: "clientId" },
    { fieldName: "clientSecret" },
    // Empty: Microsoft's SMTP scope for a Microsoft token endpoint, otherwise no scope is sent.
    optional("scope"),
    { fieldName: "user" },
  ],
};
