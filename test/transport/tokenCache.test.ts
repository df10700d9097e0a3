import { TokenCache } from "../../src/transport/tokenCache";
import type { IssuedToken, TokenSource } from "../../src/transport/tokenSource";

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
});
