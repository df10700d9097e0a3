import { createHash } from "node:crypto";

/**
 * A SHA-256 fingerprint of credential parts, for cache keys: equal credentials share an entry,
 * and the secret itself is never kept as a key (keys end up in heap dumps and debug output).
 * The parts are length-prefixed so ("ab", "c") and ("a", "bc") never collide.
 */
export function credentialHash(kind: string, ...parts: ReadonlyArray<string | number | boolean | undefined>): string {
  const hash = createHash("sha256").update(kind);
  for (const part of parts) {
    const text = part === undefined ? "\u0000undefined" : String(part);
    hash.update(`\u0000${Buffer.byteLength(text)}:`).update(text);
  }
  return hash.digest("hex");
}
