import { SecretSet } from "../result/redactSecrets";
import { isFrozenAuth, type AuthConfig } from "./transportConfig";

/**
 * The connection's secrets with every form they travel in (AUTH payloads, HTTP Basic), for one send:
 * a fresh copy, to which the tokens obtained while sending are added as they arrive.
 */
export function secretSetOf(auth: AuthConfig): SecretSet {
  // Only a config that is not remembered (too large, or not plain data) builds its set on every send.
  if (!isFrozenAuth(auth)) return buildSecretSet(auth);
  // A frozen auth (from the config memo) cannot change: its forms are computed once and found by the object.
  let set = setsOfFrozenAuths.get(auth);
  if (!set) {
    set = buildSecretSet(auth);
    setsOfFrozenAuths.set(auth, set);
  }
  return set.copy();
}

/** Weak keys: a set lives as long as the validated config it belongs to. */
const setsOfFrozenAuths = new WeakMap<AuthConfig, SecretSet>();

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
