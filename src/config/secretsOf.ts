import { createHmac, randomBytes } from "node:crypto";
import { SecretSet } from "../result/redactSecrets";
import type { AuthConfig } from "./transportConfig";

/** Computing every form of every secret takes a fraction of a millisecond; a send should not pay it each time. */
const MAX_REMEMBERED = 64;
const remembered = new Map<string, SecretSet>();
/** Keys are keyed hashes, so the map's keys give nothing away about the secrets. */
const KEY_SALT = randomBytes(32);

/**
 * The connection's secrets with every form they travel in (AUTH payloads, HTTP Basic), for one send:
 * a fresh copy, to which the tokens obtained while sending are added as they arrive.
 */
export function secretSetOf(auth: AuthConfig): SecretSet {
  // A frozen auth (from the config memo) cannot change: its set is found by the object, without hashing it again.
  if (isFrozenAuth(auth)) {
    let set = setsOfFrozenAuths.get(auth);
    if (!set) {
      set = buildSecretSet(auth);
      setsOfFrozenAuths.set(auth, set);
    }
    return set.copy();
  }
  const key = createHmac("sha256", KEY_SALT).update(JSON.stringify(auth)).digest("base64");
  let set = remembered.get(key);
  if (set) remembered.delete(key);
  else set = buildSecretSet(auth);
  // Least recently used first out.
  remembered.set(key, set);
  if (remembered.size > MAX_REMEMBERED) remembered.delete(remembered.keys().next().value ?? "");
  return set.copy();
}

/** Weak keys: a set lives as long as the validated config it belongs to. */
const setsOfFrozenAuths = new WeakMap<AuthConfig, SecretSet>();

function isFrozenAuth(auth: AuthConfig): boolean {
  return Object.isFrozen(auth) && (auth.method === "none" || Object.isFrozen(auth.connection));
}

function buildSecretSet(auth: AuthConfig): SecretSet {
  switch (auth.method) {
    case "none":
      return new SecretSet();
    case "basic":
      return new SecretSet({ user: auth.connection.username }).add(auth.connection.password, "password");
    case "oauth2": {
      const { user, clientId, clientSecret, accessToken, refreshToken } = auth.connection;
      return new SecretSet({ user, clientId }).add(clientSecret, "clientSecret").add(accessToken, "accessToken").add(refreshToken, "other");
    }
    case "oauth2ClientCredentials": {
      const { user, clientId, clientSecret } = auth.connection;
      return new SecretSet({ user, clientId }).add(clientSecret, "clientSecret");
    }
  }
}
