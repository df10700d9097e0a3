/**
 * Sending for real: the entry points the nodes use. Everything else in this folder is internal.
 *
 * - sendMail: one message through a pooled, reused transport, within the caller's deadline.
 * - verifyConnection: connect, TLS, token and login, without sending.
 * - authenticatedUser: the login name, the natural default From.
 * - closeAllTransports / resetCaches / cacheStats: shutdown and test hooks.
 */
import { tokenCache } from "./tokenCache";
import { transportCache } from "./transportCache";

export { sendMail, type SentMessage } from "./sendMail";
export { serverOffersSmtpUtf8, verifyConnection, type VerifiedConnection } from "./verifyConnection";
export { authenticatedUser } from "./smtpAuth";

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
