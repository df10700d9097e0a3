import { createHmac, randomBytes } from "node:crypto";

/**
 * Drawn once per process and never stored: a key found in a heap dump or debug output cannot be
 * tested against guessed passwords elsewhere, and a plain hash of a weak password can.
 */
const PROCESS_KEY = randomBytes(32);

/**
 * An HMAC-SHA256 fingerprint of credential parts, for cache keys: equal credentials share an entry
 * within this process, and the secret itself is never kept as a key (keys end up in heap dumps and
 * debug output). The parts are length-prefixed so ("ab", "c") and ("a", "bc") never collide.
 */
export function credentialHash(kind: string, ...parts: ReadonlyArray<string | number | boolean | undefined>): string {
  const hmac = createHmac("sha256", PROCESS_KEY).update(`${Buffer.byteLength(kind)}:`).update(kind);
  for (const part of parts) {
    const text = part === undefined ? "\u0000undefined" : String(part);
    hmac.update(`\u0000${Buffer.byteLength(text)}:`).update(text);
  }
  return hmac.digest("hex");
}
