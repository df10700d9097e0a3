import { secretSetOf } from "../config/secretsOf";
import type { AuthConfig } from "../config/transportConfig";
import type { SecretSet } from "../result/redactSecrets";
import type { IssuedToken } from "./tokenSource";

/** A token obtained at run time becomes as redactable as a configured secret, in the XOAUTH2 string too. */
export function registerToken(secrets: SecretSet, token: IssuedToken | undefined): SecretSet {
  return secrets.add(token?.accessToken, "accessToken").add(token?.refreshToken, "other");
}

/** Every secret value involved, for redaction: the configured ones and the token in use. */
export function secretsInPlay(auth: AuthConfig, token: IssuedToken | undefined): SecretSet {
  return registerToken(secretSetOf(auth), token);
}
