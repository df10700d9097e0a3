import type { SecretSet } from "../result/redactSecrets";
import type { IssuedToken } from "./tokenSource";

/** A token obtained at run time becomes as redactable as a configured secret, in the XOAUTH2 string too. */
export function registerToken(secrets: SecretSet, token: IssuedToken | undefined): SecretSet {
  return secrets.add(token?.accessToken, "accessToken").add(token?.refreshToken, "other");
}
