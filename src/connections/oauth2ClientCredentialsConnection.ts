import type { IConnectionSchema } from "@cognigy/extension-tools";

/** OAuth2 client-credentials grant, then XOAUTH2: what Microsoft 365 needs (SMTP.SendAsApp). */
export const oauth2ClientCredentialsConnection: IConnectionSchema = {
  type: "smtp-oauth2-client-credentials",
  label: "SMTP OAuth2 Client Credentials (Microsoft 365)",
  fields: [
    { fieldName: "tokenEndpointUrl" },
    { fieldName: "clientId" },
    { fieldName: "clientSecret" },
    { fieldName: "scope" },
    { fieldName: "user" },
  ],
};
