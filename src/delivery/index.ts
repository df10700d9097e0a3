/**
 * Sending for real: the entry points the nodes use. Everything else under delivery/ is internal
 * (SMTP in smtp/; the OAuth2 tokens it needs come from oauth2/).
 *
 * - sendMail: one message through a pooled, reused transport, within the caller's deadline.
 * - verifyConnection: connect, TLS, token and login, without sending.
 * - closeAllTransports / resetCaches / cacheStats: shutdown and test hooks.
 */
import { tokenCache } from "../oauth2/tokenCache";
import { transportCache } from "./smtp/transportCache";

export { sendMail, type SentMessage } from "./smtp/sendMail";
export { serverOffersSmtpUtf8, verifyConnection, type VerifiedConnection } from "./smtp/verifyConnection";

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
