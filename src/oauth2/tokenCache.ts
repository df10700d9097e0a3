import type { AbortWatch } from "../deadline/deadlineSignal";
import type { IssuedToken, TokenSource } from "./tokenSource";

/** Renew this long before expiry, so a token never runs out between the check and the AUTH command. */
const REFRESH_MARGIN_MS = 60_000;
/** Distinct credentials kept at most; a multi-tenant runtime sees many, each entry is small. */
export const MAX_TOKEN_ENTRIES = 1_000;
/** How often, at most, lookups also drop entries whose token has expired. */
const SWEEP_INTERVAL_MS = 60_000;
/** Longest a token request may run when nobody passed a signal (tests, tools): the node's largest Total Timeout. */
const MAX_REQUEST_MS = 120_000;

export interface TokenLookup {
  token: IssuedToken;
  /** True when the token was already cached, i.e. not just issued for this request: worth one retry if the server rejects it. */
  fromCache: boolean;
}

/** A token request in flight, shared by every lookup that needs it. */
interface Flight {
  promise: Promise<IssuedToken>;
  controller: AbortController;
  /** Lookups still waiting; when the last one gives up (its deadline passed), the request is cancelled. */
  waiters: number;
}

interface Entry {
  token?: IssuedToken;
  /** The newest rotated refresh token; replaces the configured one for the rest of the process. */
  refreshToken?: string;
  flight?: Flight;
}

/**
 * Access tokens by credential, shared by every send in the process. Single-flight: however many
 * sends need a token at once, the endpoint sees one request, and it runs only as long as one of
 * them still waits for it. Bounded: least recently used entries go first once `maxEntries` is
 * reached, and expired ones are swept, so a runtime serving many tenants does not grow without end.
 */
export class TokenCache {
  /** In least-recently-used order: a lookup moves its entry to the end. */
  private readonly entries = new Map<string, Entry>();
  private lastSweep = Date.now();

  constructor(
    private readonly maxEntries = MAX_TOKEN_ENTRIES,
    private readonly sweepIntervalMs = SWEEP_INTERVAL_MS,
  ) {}

  /** `signal`: the caller's deadline. The shared request is cancelled once every waiting caller's signal has fired. */
  get(source: TokenSource, signal?: AbortWatch): Promise<TokenLookup> {
    const now = Date.now();
    if (now - this.lastSweep >= this.sweepIntervalMs) this.sweep(now);
    let entry = this.entries.get(source.key);
    if (entry) {
      this.entries.delete(source.key);
    } else {
      entry = { token: source.initialToken };
    }
    this.entries.set(source.key, entry);
    if (this.entries.size > this.maxEntries) this.evictOne();

    const cached = entry.token;
    if (cached && isUsable(cached, source.renewable, now)) return Promise.resolve({ token: cached, fromCache: true });
    // A request cancelled because its callers ran out of time is no use to a caller that still has some.
    if (entry.flight?.controller.signal.aborted) entry.flight = undefined;
    entry.flight ??= this.startFlight(source, entry);
    return join(entry.flight, signal).then((token) => ({ token, fromCache: false }));
  }

  /** Forgets a token the server rejected. With `accessToken`, only if it is still the cached one: a concurrent renewal already replaced it otherwise. */
  invalidate(key: string, accessToken?: string): void {
    const entry = this.entries.get(key);
    if (!entry?.token) return;
    if (accessToken === undefined || entry.token.accessToken === accessToken) entry.token = undefined;
  }

  /** Forgets everything, rotated refresh tokens included, and cancels requests in flight. For tests. */
  clear(): void {
    for (const entry of this.entries.values()) entry.flight?.controller.abort();
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }

  private startFlight(source: TokenSource, entry: Entry): Flight {
    const controller = new AbortController();
    const signal = AbortSignal.any([controller.signal, AbortSignal.timeout(MAX_REQUEST_MS)]);
    const flight: Flight = { controller, waiters: 0, promise: Promise.resolve(undefined as unknown as IssuedToken) };
    flight.promise = source.fetch(entry.refreshToken, signal).then(
      (token) => {
        if (entry.flight === flight) entry.flight = undefined;
        entry.token = token;
        if (token.refreshToken) entry.refreshToken = token.refreshToken;
        return token;
      },
      (error: unknown) => {
        // Not cached: the next send asks again rather than repeating a failure that may have been passing.
        if (entry.flight === flight) entry.flight = undefined;
        throw error;
      },
    );
    // Every waiter handles the outcome; this keeps a request nobody waits for any more from being an unhandled rejection.
    flight.promise.catch(() => undefined);
    return flight;
  }

  /**
   * Drops entries that hold nothing worth keeping: no request in flight, no rotated refresh token
   * (the only copy of a live credential), and no token still valid.
   */
  private sweep(now: number): void {
    this.lastSweep = now;
    for (const [key, entry] of this.entries) {
      if (entry.flight || entry.refreshToken) continue;
      if (!entry.token || (entry.token.expiresAt !== undefined && entry.token.expiresAt <= now)) this.entries.delete(key);
    }
  }

  /**
   * Drops the least recently used entry, preferring one without a rotated refresh token: losing
   * that would leave its credential with an already-used refresh token. Entries with a request in
   * flight stay (their lookups are waiting).
   */
  private evictOne(): void {
    let fallback: string | undefined;
    for (const [key, entry] of this.entries) {
      if (entry.flight) continue;
      if (!entry.refreshToken) {
        this.entries.delete(key);
        return;
      }
      fallback ??= key;
    }
    if (fallback !== undefined) this.entries.delete(fallback);
  }
}

function join(flight: Flight, signal: AbortWatch | undefined): Promise<IssuedToken> {
  flight.waiters++;
  if (!signal) return flight.promise;
  const leave = () => {
    flight.waiters--;
    if (flight.waiters === 0) flight.controller.abort();
  };
  if (signal.aborted) {
    leave();
    return flight.promise;
  }
  signal.addEventListener("abort", leave, { once: true });
  return flight.promise.finally(() => signal.removeEventListener("abort", leave));
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
