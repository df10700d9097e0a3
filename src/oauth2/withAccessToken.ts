import type { Deadline } from "../deadline/deadline";
import { raceDeadline } from "../deadline/raceDeadline";
import type { SecretSet } from "../result/redactSecrets";
import { tokenCache, type TokenLookup } from "./tokenCache";
import { registerToken } from "./tokenSecrets";
import type { IssuedToken, TokenSource } from "./tokenSource";

/**
 * Runs `attempt` with an access token from the cache (or without one when the method has none).
 * If the server rejects a token that came from the cache, it may have been revoked or expired early:
 * forget it, get a new one once, and retry once. A token issued just now is not retried: a second
 * one would be rejected for the same reason (permissions, wrong user). Which failures are such a
 * rejection only the delivery knows: `isTokenRejection` says so for the attempt's error. Each token
 * obtained is added to `secrets` (see lookupToken) before the attempt sees it.
 */
export function withAccessToken<T>(
  source: TokenSource | undefined,
  deadline: Deadline,
  secrets: SecretSet | undefined,
  attempt: (token: IssuedToken | undefined) => Promise<T>,
  isTokenRejection: (error: unknown) => boolean,
): Promise<T> {
  // Methods without tokens go straight to the attempt: no async step of its own on every send.
  return source ? withIssuedToken(source, deadline, secrets, attempt, isTokenRejection) : attempt(undefined);
}

async function withIssuedToken<T>(
  source: TokenSource,
  deadline: Deadline,
  secrets: SecretSet | undefined,
  attempt: (token: IssuedToken | undefined) => Promise<T>,
  isTokenRejection: (error: unknown) => boolean,
): Promise<T> {
  const first = await lookupToken(source, deadline, secrets);
  try {
    return await attempt(first.token);
  } catch (error) {
    if (!first.fromCache || !source.renewable || !isTokenRejection(error)) throw error;
    tokenCache.invalidate(source.key, first.token.accessToken);
    const renewed = await lookupToken(source, deadline, secrets);
    return attempt(renewed.token);
  }
}

/**
 * A token from the cache (or the request it starts), within the deadline: the shared request is given up with it.
 * The token is added to `secrets` as it arrives, so whatever is logged or stored from then on has it redacted:
 * every delivery gets its tokens here, so none can forget to.
 */
export async function lookupToken(source: TokenSource, deadline: Deadline, secrets?: SecretSet): Promise<TokenLookup> {
  const lookup = await raceDeadline(tokenCache.get(source, deadline.abortWatch), deadline, `getting an access token from ${source.endpoint}`);
  if (secrets) registerToken(secrets, lookup.token);
  return lookup;
}
