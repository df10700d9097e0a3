import type { Deadline } from "../deadline/deadline";
import { raceDeadline } from "../deadline/raceDeadline";
import { tokenCache, type TokenLookup } from "./tokenCache";
import type { IssuedToken, TokenSource } from "./tokenSource";

/**
 * Runs `attempt` with an access token from the cache (or without one when the method has none).
 * If the server rejects a token that came from the cache, it may have been revoked or expired early:
 * forget it, get a new one once, and retry once. A token issued just now is not retried: a second
 * one would be rejected for the same reason (permissions, wrong user). Which failures are such a
 * rejection only the delivery knows: `isTokenRejection` says so for the attempt's error.
 */
export function withAccessToken<T>(
  source: TokenSource | undefined,
  deadline: Deadline,
  attempt: (token: IssuedToken | undefined) => Promise<T>,
  isTokenRejection: (error: unknown) => boolean,
): Promise<T> {
  // Methods without tokens go straight to the attempt: no async step of its own on every send.
  return source ? withIssuedToken(source, deadline, attempt, isTokenRejection) : attempt(undefined);
}

async function withIssuedToken<T>(
  source: TokenSource,
  deadline: Deadline,
  attempt: (token: IssuedToken | undefined) => Promise<T>,
  isTokenRejection: (error: unknown) => boolean,
): Promise<T> {
  const first = await lookupToken(source, deadline);
  try {
    return await attempt(first.token);
  } catch (error) {
    if (!first.fromCache || !source.renewable || !isTokenRejection(error)) throw error;
    tokenCache.invalidate(source.key, first.token.accessToken);
    const renewed = await lookupToken(source, deadline);
    return attempt(renewed.token);
  }
}

/** A token from the cache (or the request it starts), within the deadline: the shared request is given up with it. */
export function lookupToken(source: TokenSource, deadline: Deadline): Promise<TokenLookup> {
  return raceDeadline(tokenCache.get(source, deadline.abortWatch), deadline, `getting an access token from ${source.endpoint}`);
}
