/**
 * Replies that Microsoft 365 and Gmail give to an SMTP login for the failures users hit most, each with
 * the fix that works. Matched on the server's own text, so they apply whatever the method. The token
 * endpoint's (Entra ID's) replies are in oauth2/tokenFailure.ts.
 */
interface KnownReply {
  pattern: RegExp;
  hint: string;
}

const SMTP_AUTH_REPLIES: KnownReply[] = [
  {
    pattern: /5\.7\.139|basic authentication is disabled|SmtpClientAuthentication is disabled/i,
    hint: "Microsoft 365 has basic authentication (SMTP AUTH with a password) turned off for this tenant or mailbox. Switch Authentication Method to OAuth2 Client Credentials (app with SMTP.SendAsApp) and have an admin enable Authenticated SMTP for the mailbox, or, where SMTP AUTH must stay off, choose Delivery Microsoft Graph (app with Mail.Send).",
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

const find = (table: KnownReply[], text: string | undefined) => (text ? table.find((known) => known.pattern.test(text))?.hint : undefined);

export const smtpAuthReplyHint = (reply: string | undefined) => find(SMTP_AUTH_REPLIES, reply);
