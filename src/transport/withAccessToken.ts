import type { Deadline } from "../execution/deadline";
import { raceDeadline } from "./raceDeadline";
import { tokenCache } from "./tokenCache";
import type { IssuedToken, TokenSource } from "./tokenSource";

/**
 * Runs `attempt` with an access token from the cache (or without one when the method has none).
 * If the server rejects a token that came from the cache, it may have been revoked or expired early:
 * forget it, get a new one once, and retry once. A token issued just now is not retried: a second
 * one would be rejected for the same reason (permissions, wrong user).
 */
export function withAccessToken<T>(
  source: TokenSource | undefined,
  deadline: Deadline,
  attempt: (token: IssuedToken | undefined) => Promise<T>,
): Promise<T> {
  // Methods without tokens go straight to the attempt: no async step of its own on every send.
  return source ? withIssuedToken(source, deadline, attempt) : attempt(undefined);
}

async function withIssuedToken<T>(source: TokenSource, deadline: Deadline, attempt: (token: IssuedToken | undefined) => Promise<T>): Promise<T> {
  const step = `getting an access token from ${source.endpoint}`;
  const first = await raceDeadline(tokenCache.get(source, deadline.abortWatch), deadline, step);
  try {
    return await attempt(first.token);
  } catch (error) {
    if (!first.fromCache || !source.renewable || !isTokenRejection(error)) throw error;
    tokenCache.invalidate(source.key, first.token.accessToken);
    const renewed = await raceDeadline(tokenCache.get(source, deadline.abortWatch), deadline, step);
    return attempt(renewed.token);
  }
}

/** nodemailer's EAUTH, except a refusal to log in before STARTTLS, which no token fixes. */
function isTokenRejection(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const { code, responseCode } = error as { code?: unknown; responseCode?: unknown };
  return code === "EAUTH" && responseCode !== 530 && responseCode !== 538;
}
