import { REDACTED } from "./redactSecrets";

/** Shorter runs are ordinary words and codes (AADSTS7000215); AUTH payloads and tokens are longer. */
const MIN_RUN = 16;

/** Base64 and Base64url characters, with optional padding; one character class, so matching stays linear. */
const RUN = /[A-Za-z0-9+/_-]{16,}={0,2}/g;

/**
 * For replies to a login or token request only: replaces long runs that look like Base64 (the server
 * quoting the AUTH payload or a token it got) even when they match no known secret, e.g. the password
 * of a previous, since changed configuration. A run counts when it mixes upper case, lower case and
 * digits, or carries "+", "/" or "=": plain words and product names stay readable.
 */
export function maskBase64Runs(text: string): string {
  return text.replace(RUN, (run) => (run.length >= MIN_RUN && looksEncoded(run) ? REDACTED : run));
}

function looksEncoded(run: string): boolean {
  if (/[+/=]/.test(run)) return true;
  return /[A-Z]/.test(run) && /[a-z]/.test(run) && /[0-9]/.test(run);
}
