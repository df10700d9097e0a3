import { TokenCache } from "../../src/oauth2/tokenCache";
import type { IssuedToken, TokenSource } from "../../src/oauth2/tokenSource";

/** A token source of our own interface that counts its requests and can be told what to answer. */
function countingSource(options: { initialToken?: IssuedToken; renewable?: boolean; lifetimeMs?: number; rotate?: boolean; delayMs?: number } = {}) {
  const requests: Array<string | undefined> = [];
  let issued = 0;
  const source: TokenSource & { requests: typeof requests } = {
    key: "key-1",
    endpoint: "https://login.example.com/token",
    initialToken: options.initialToken,
    renewable: options.renewable ?? true,
    requests,
    async fetch(latestRefreshToken) {
      requests.push(latestRefreshToken);
      await new Promise((resolve) => setTimeout(resolve, options.delayMs ?? 5));
      issued++;
      const now = Date.now();
      return {
        accessToken: `token-${issued}`,
        obtainedAt: now,
        expiresAt: now + (options.lifetimeMs ?? 3_600_000),
        ...(options.rotate && { refreshToken: `rotated-${issued}` }),
      };
    },
  };
  return source;
}

describe("TokenCache", () => {
  test("single-flight: 100 concurrent lookups with a cold cache cause exactly one request", async () => {
    const cache = new TokenCache();
    const source = countingSource({ delayMs: 20 });
    const lookups = await Promise.all(Array.from({ length: 100 }, () => cache.get(source)));
    expect(source.requests).toHaveLength(1);
    expect(new Set(lookups.map((lookup) => lookup.token.accessToken))).toEqual(new Set(["token-1"]));
    expect(lookups.every((lookup) => !lookup.fromCache)).toBe(true);
    expect((await cache.get(source)).fromCache).toBe(true);
    expect(source.requests).toHaveLength(1);
  });

  test("uses a configured token while its expiry is more than 60 s ahead", async () => {
    const cache = new TokenCache();
    const source = countingSource({ initialToken: { accessToken: "pasted", expiresAt: Date.now() + 120_000 } });
    expect(await cache.get(source)).toEqual({ token: { accessToken: "pasted", expiresAt: expect.any(Number) }, fromCache: true });
    expect(source.requests).toHaveLength(0);
  });

  test("renews a configured token that expires within 60 s", async () => {
    const cache = new TokenCache();
    const source = countingSource({ initialToken: { accessToken: "pasted", expiresAt: Date.now() + 30_000 } });
    expect((await cache.get(source)).token.accessToken).toBe("token-1");
  });

  test("uses a token that cannot be renewed until it actually expires, then fails with the source's error", async () => {
    const cache = new TokenCache();
    const valid = countingSource({ renewable: false, initialToken: { accessToken: "pasted", expiresAt: Date.now() + 30_000 } });
    expect((await cache.get(valid)).token.accessToken).toBe("pasted");
    const expired: TokenSource = { ...valid, key: "key-2", initialToken: { accessToken: "old", expiresAt: Date.now() - 1 }, fetch: () => Promise.reject(new Error("cannot renew")) };
    await expect(cache.get(expired)).rejects.toThrow("cannot renew");
  });

  test("short-lived tokens are renewed at half their lifetime, not on every lookup", async () => {
    const cache = new TokenCache();
    const source = countingSource({ lifetimeMs: 400 });
    await cache.get(source);
    expect((await cache.get(source)).fromCache).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect((await cache.get(source)).token.accessToken).toBe("token-2");
  });

  test("invalidate(key, token) forgets only that token; invalidate(key) whatever is cached", async () => {
    const cache = new TokenCache();
    const source = countingSource();
    await cache.get(source);
    cache.invalidate(source.key, "some-other-token");
    expect((await cache.get(source)).token.accessToken).toBe("token-1");
    cache.invalidate(source.key, "token-1");
    expect((await cache.get(source)).token.accessToken).toBe("token-2");
    cache.invalidate(source.key);
    expect((await cache.get(source)).token.accessToken).toBe("token-3");
  });

  test("a rotated refresh token is used for every later request", async () => {
    const cache = new TokenCache();
    const source = countingSource({ rotate: true });
    await cache.get(source);
    cache.invalidate(source.key);
    await cache.get(source);
    cache.invalidate(source.key);
    await cache.get(source);
    expect(source.requests).toEqual([undefined, "rotated-1", "rotated-2"]);
  });

  test("a failed request is not cached and the next lookup asks again", async () => {
    const cache = new TokenCache();
    let calls = 0;
    const source: TokenSource = {
      key: "flaky",
      endpoint: "https://login.example.com/token",
      renewable: true,
      fetch: async () => {
        calls++;
        if (calls === 1) throw new Error("temporarily unavailable");
        return { accessToken: "ok", obtainedAt: Date.now() };
      },
    };
    await expect(Promise.all([cache.get(source), cache.get(source)])).rejects.toThrow("temporarily unavailable");
    expect(calls).toBe(1);
    expect((await cache.get(source)).token.accessToken).toBe("ok");
  });

  test("bounded: beyond maxEntries the least recently used credential is forgotten", async () => {
    const cache = new TokenCache(3);
    const sources = ["k1", "k2", "k3", "k4"].map((key) => ({ ...countingSource(), key }));
    for (const source of sources.slice(0, 3)) await cache.get(source);
    await cache.get(sources[0]); // k1 is now the most recently used
    await cache.get(sources[3]); // forgets k2
    expect(cache.size).toBe(3);
    expect((await cache.get(sources[0])).fromCache).toBe(true);
    expect((await cache.get(sources[2])).fromCache).toBe(true);
    expect((await cache.get(sources[1])).fromCache).toBe(false);
    expect(sources[1].requests).toHaveLength(2);
  });

  test("bounded: a rotated refresh token, the only copy of a live credential, is kept over plain entries", async () => {
    const cache = new TokenCache(2);
    const rotating = { ...countingSource({ rotate: true }), key: "rotating" };
    await cache.get(rotating);
    await cache.get({ ...countingSource(), key: "plain-1" });
    await cache.get({ ...countingSource(), key: "plain-2" });
    expect(cache.size).toBe(2);
    cache.invalidate("rotating");
    await cache.get(rotating);
    expect(rotating.requests).toEqual([undefined, "rotated-1"]);
  });

  test("expired entries are swept on later lookups", async () => {
    const cache = new TokenCache(1_000, 0);
    await cache.get({ ...countingSource({ lifetimeMs: 50 }), key: "short-lived" });
    await cache.get({ ...countingSource({ renewable: false, initialToken: { accessToken: "old", expiresAt: Date.now() + 30 } }), key: "pasted" });
    expect(cache.size).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 80));
    await cache.get({ ...countingSource(), key: "other" });
    expect(cache.size).toBe(1);
  });

  test("the request is cancelled once every waiting caller's signal has fired, and not before", async () => {
    const cache = new TokenCache();
    const seen: AbortSignal[] = [];
    const source: TokenSource = {
      key: "stalling",
      endpoint: "https://login.example.com/token",
      renewable: true,
      fetch: (_latest, signal) => {
        seen.push(signal);
        return new Promise((_resolve, reject) => signal.addEventListener("abort", () => reject(new Error("aborted"))));
      },
    };
    const early = new AbortController();
    const late = new AbortController();
    const first = cache.get(source, early.signal).catch((error: Error) => error.message);
    const second = cache.get(source, late.signal).catch((error: Error) => error.message);
    expect(seen).toHaveLength(1);
    early.abort();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(seen[0].aborted).toBe(false);
    late.abort();
    expect(seen[0].aborted).toBe(true);
    expect(await Promise.all([first, second])).toEqual(["aborted", "aborted"]);
    // A later caller with time left gets a request of its own, not the cancelled one.
    void cache.get(source, new AbortController().signal).catch(() => undefined);
    expect(seen).toHaveLength(2);
    expect(seen[1].aborted).toBe(false);
    cache.clear();
  });
});
