import type { IssuedToken, TokenSource } from "./tokenSource";

/** Renew this long before expiry, so a token never runs out between the check and the AUTH command. */
const REFRESH_MARGIN_MS = 60_000;

export interface TokenLookup {
  token: IssuedToken;
  /** True when the token was already cached, i.e. not just issued for this request: worth one retry if the server rejects it. */
  fromCache: boolean;
}

interface Entry {
  token?: IssuedToken;
  /** The newest rotated refresh token; replaces the configured one for the rest of the process. */
  refreshToken?: string;
  /** The token request in flight: every caller waits for this one instead of starting its own. */
  pending?: Promise<IssuedToken>;
}

/**
 * Access tokens by credential, shared by every send in the process. Single-flight: however many
 * sends need a token at once, the endpoint sees one request.
 */
export class TokenCache {
  private readonly entries = new Map<string, Entry>();

  get(source: TokenSource): Promise<TokenLookup> {
    let entry = this.entries.get(source.key);
    if (!entry) {
      entry = { token: source.initialToken };
      this.entries.set(source.key, entry);
    }
    const cached = entry.token;
    if (cached && isUsable(cached, source.renewable, Date.now())) return Promise.resolve({ token: cached, fromCache: true });
    entry.pending ??= this.fetch(source, entry);
    return entry.pending.then((token) => ({ token, fromCache: false }));
  }

  /** Forgets a token the server rejected. With `accessToken`, only if it is still the cached one: a concurrent renewal already replaced it otherwise. */
  invalidate(key: string, accessToken?: string): void {
    const entry = this.entries.get(key);
    if (!entry?.token) return;
    if (accessToken === undefined || entry.token.accessToken === accessToken) entry.token = undefined;
  }

  /** Forgets everything, rotated refresh tokens included. For tests. */
  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }

  private fetch(source: TokenSource, entry: Entry): Promise<IssuedToken> {
    return source.fetch(entry.refreshToken).then(
      (token) => {
        entry.pending = undefined;
        entry.token = token;
        if (token.refreshToken) entry.refreshToken = token.refreshToken;
        return token;
      },
      (error: unknown) => {
        // Not cached: the next send asks again rather than repeating a failure that may have been passing.
        entry.pending = undefined;
        throw error;
      },
    );
  }
}

/**
 * Fresh enough to use: for a renewable token, more than the refresh margin before expiry (half the
 * lifetime for tokens shorter than two margins, so they are not renewed on every send); a token that
 * cannot be renewed is used until it actually expires.
 */
function isUsable(token: IssuedToken, renewable: boolean, now: number): boolean {
  if (token.expiresAt === undefined) return true;
  if (!renewable) return token.expiresAt > now;
  const lifetime = token.obtainedAt === undefined ? Infinity : token.expiresAt - token.obtainedAt;
  const margin = Math.min(REFRESH_MARGIN_MS, Math.max(0, lifetime / 2));
  return token.expiresAt - margin > now;
}

/** The process-wide cache used by sendMail and verifyConnection. */
export const tokenCache = new TokenCache();
