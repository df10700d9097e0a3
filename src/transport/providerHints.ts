/**
 * Replies that Microsoft 365, Gmail and Entra ID give for the failures users hit most, each with the
 * fix that works. Matched on the server's or endpoint's own text, so they apply whatever the method.
 */
interface KnownReply {
  pattern: RegExp;
  hint: string;
}

const SMTP_AUTH_REPLIES: KnownReply[] = [
  {
    pattern: /5\.7\.139|basic authentication is disabled|SmtpClientAuthentication is disabled/i,
    hint: "Microsoft 365 has basic authentication (SMTP AUTH with a password) turned off for this tenant or mailbox. Switch Authentication Method to OAuth2 Client Credentials (app with SMTP.SendAsApp), or have an admin enable Authenticated SMTP for the mailbox.",
  },
  {
    pattern: /5\.7\.3\b/i,
    hint: "Microsoft 365 accepted the token but the app may not send as this mailbox: grant SMTP.SendAsApp with admin consent, register the app's service principal in Exchange Online, give it FullAccess/SendAs on the mailbox, and make sure user is that mailbox.",
  },
  {
    pattern: /5\.7\.8\b|BadCredentials|Username and Password not accepted/i,
    hint: "Gmail refused the login: with 2-step verification use an app password (Google Account > Security > App passwords) in the Basic Auth connection, or use OAuth2 with the https://mail.google.com/ scope.",
  },
];

const TOKEN_ENDPOINT_REPLIES: KnownReply[] = [
  { pattern: /AADSTS7000215/, hint: "Entra ID: the client secret is wrong. Use the secret's Value (shown once when created), not its Secret ID." },
  { pattern: /AADSTS7000222/, hint: "Entra ID: the client secret has expired. Create a new one under Certificates & secrets and update the connection." },
  { pattern: /AADSTS700016/, hint: "Entra ID: no app with this client ID exists in the tenant. Check clientId and the tenant ID in the token URL, and that the app is multitenant if it lives in another tenant." },
  { pattern: /AADSTS90002|AADSTS900023/, hint: "Entra ID: the tenant in the token URL does not exist. Use https://login.microsoftonline.com/<Directory (tenant) ID>/oauth2/v2.0/token." },
  { pattern: /AADSTS70011|AADSTS1002012/, hint: "Entra ID: the scope is invalid. For SMTP use exactly https://outlook.office365.com/.default." },
  { pattern: /AADSTS7000218/, hint: "Entra ID expects the client secret in the request body: set Client Authentication at Token Endpoint to request body." },
  { pattern: /AADSTS65001/, hint: "Entra ID: admin consent for the app's permissions is missing. Grant admin consent for SMTP.SendAsApp." },
];

const find = (table: KnownReply[], text: string | undefined) => (text ? table.find((known) => known.pattern.test(text))?.hint : undefined);

export const smtpAuthReplyHint = (reply: string | undefined) => find(SMTP_AUTH_REPLIES, reply);
export const tokenEndpointReplyHint = (description: string | undefined) => find(TOKEN_ENDPOINT_REPLIES, description);
