import { createHmac, randomBytes } from "node:crypto";

/** Random per process: the fingerprints mean nothing outside it, and nobody can test guesses against them. */
const PROCESS_KEY = randomBytes(32);

/**
 * A keyed fingerprint (HMAC-SHA-256) of credential parts, for cache keys: equal credentials share an
 * entry, and the secret itself is never kept as a key (keys end up in heap dumps and debug output).
 * A plain hash of a short password could be brute-forced from a dump; without the process key it cannot.
 * The parts are length-prefixed so ("ab", "c") and ("a", "bc") never collide.
 */
export function credentialHash(kind: string, ...parts: ReadonlyArray<string | number | boolean | undefined>): string {
  const hash = createHmac("sha256", PROCESS_KEY).update(kind);
  for (const part of parts) {
    const text = part === undefined ? "\u0000undefined" : String(part);
    hash.update(`\u0000${Buffer.byteLength(text)}:`).update(text);
  }
  return hash.digest("hex");
}
