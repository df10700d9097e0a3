import type { ConnectionSchema } from "./connectionSchema";
import { optional } from "./connectionSchema";

/** OAuth2 client-credentials grant, then XOAUTH2 over SMTP (Microsoft 365: SMTP.SendAsApp) or a bearer token for Microsoft Graph (Mail.Send). */
export const oauth2ClientCredentialsConnection: ConnectionSchema = {
  type: "smtp-oauth2-client-credentials",
  label: "SMTP OAuth2 Client Credentials (Microsoft 365)",
  fields: [
    { fieldName: "tokenEndpointUrl" },
    { fieldName: "clientId" },
    { fieldName: "clientSecret" },
    // Empty: with Delivery Microsoft Graph, the Graph endpoint's .default scope; with SMTP, Microsoft's SMTP
    // scope for a Microsoft token endpoint, otherwise no scope is sent (see withDefaultScope).
    optional("scope"),
    { fieldName: "user" },
  ],
};
