/**
 * Sending for real: the entry points the nodes use. The message is the same for every delivery
 * (nodemailer's mail options); how it leaves depends on the config: SMTP in smtp/, Microsoft Graph in
 * graph/. The OAuth2 tokens both need come from oauth2/, one cache for both.
 *
 * - sendMail: one message, within the caller's deadline.
 * - verifyConnection: everything up to sending (SMTP: connect, TLS, token, login; Graph: the token), sending nothing.
 * - closeAllTransports / resetCaches / cacheStats: shutdown and test hooks.
 */
import type Mail from "nodemailer/lib/mailer";
import type { TransportConfig } from "../config/transportConfig";
import type { Deadline } from "../deadline/deadline";
import { tokenCache } from "../oauth2/tokenCache";
import type { SecretSet } from "../result/redactSecrets";
import type { VerifiedGraphAccess } from "./graph/verifyGraph";
import type { SentMessage } from "./sentMessage";
import { sendMail as sendViaSmtp } from "./smtp/sendMail";
import { transportCache } from "./smtp/transportCache";
import { verifyConnection as verifySmtp, type VerifiedConnection as VerifiedSmtpConnection } from "./smtp/verifyConnection";

export { serverOffersSmtpUtf8 } from "./smtp/verifyConnection";
export type { SentMessage } from "./sentMessage";

export type VerifiedConnection = (VerifiedSmtpConnection & { transport: "smtp" }) | VerifiedGraphAccess;

/**
 * Sends one message by the config's delivery. Rejects with an SmtpEmailError only; each token used is added to `secrets`.
 * The Graph delivery loads on its first use: a process that sends by SMTP never compiles it.
 */
export function sendMail(config: TransportConfig, mail: Mail.Options, deadline: Deadline, secrets?: SecretSet): Promise<SentMessage> {
  if (config.delivery.kind === "graph") return import("./graph/sendViaGraph").then(({ sendViaGraph }) => sendViaGraph(config, mail, deadline, secrets));
  return sendViaSmtp(config, mail, deadline, secrets);
}

/** Checks everything a send would need without sending. Rejects with an SmtpEmailError only. */
export async function verifyConnection(config: TransportConfig, deadline: Deadline, secrets?: SecretSet): Promise<VerifiedConnection> {
  if (config.delivery.kind === "graph") return (await import("./graph/verifyGraph")).verifyGraph(config, deadline, secrets);
  return { ...(await verifySmtp(config, deadline, secrets)), transport: "smtp" };
}

/** Closes every pooled SMTP connection of the process, also ones still sending. Call at shutdown (demo, tests' afterAll). */
export function closeAllTransports(): Promise<void> {
  return transportCache.closeAll();
}

/** Closes all transports and forgets all cached tokens, rotated refresh tokens included. For tests. */
export async function resetCaches(): Promise<void> {
  await transportCache.closeAll();
  tokenCache.clear();
}

/** How many credentials have cached tokens and how many transports are open. For tests and diagnostics. */
export function cacheStats(): { tokens: number; transports: { inService: number; retiring: number } } {
  return { tokens: tokenCache.size, transports: transportCache.stats() };
}
