import { hash, randomBytes } from "node:crypto";
import { plainJsonText } from "./plainJson";

/**
 * Drawn once per process, never stored or shown: without it a key cannot be tested against guessed
 * configs (and so guessed passwords), as a plain hash of the text could.
 */
const PROCESS_KEY = randomBytes(32).toString("base64");

/**
 * A keyed SHA-256 of the config text: the process key in front of the text. A one-shot hash, as this
 * runs on every send: it allocates no native hashing object (an HMAC does, and those cost the garbage
 * collector more than the hashing itself). Only ever compared for equality, never shown or extended.
 */
function keyOf(kind: string, text: string): string {
  return hash("sha256", `${PROCESS_KEY}\u0000${kind}\u0000${text}`, "base64");
}

/** Bots send from few distinct node configs; a small bound keeps memory (and secrets held) low. */
const MAX_ENTRIES = 32;
/** Larger configs (big HTML, Base64 attachments) are parsed each time: keying them would cost about as much. */
const MAX_KEYED_CHARS = 64 * 1024;

/**
 * Remembers validated node configs per schema, so a flow that runs the same node again and again does
 * not validate the same raw config on every send. Only what passed validation is kept, frozen, and it
 * is handed out for a raw config with exactly the same content (plain JSON only).
 *
 * Raw configs hold passwords and client secrets, so the key is a keyed hash of the config's JSON text
 * (keyOf), never the text itself; the validated configs kept hold the same secrets as the
 * raw ones the runtime already holds, at most MAX_ENTRIES per schema, least recently used dropped first.
 */
export class ValidatedConfigMemo<T> {
  private readonly entries = new Map<string, T>();

  constructor(private readonly kind: string) {}

  /** The remembered result for `raw`, or `validate`'s result on a copy of it (remembered when plain). */
  get(raw: unknown, validate: (raw: unknown) => T): T {
    const text = plainJsonText(raw, MAX_KEYED_CHARS);
    if (text === undefined) return validate(raw);
    const key = keyOf(this.kind, text);
    const cached = this.entries.get(key);
    if (cached !== undefined) {
      // Most recently used goes to the end.
      this.entries.delete(key);
      this.entries.set(key, cached);
      return cached;
    }
    // Validate the copy the key describes: later changes to the caller's objects cannot reach the entry.
    const validated = validate(JSON.parse(text) as unknown);
    if (deepFreezePlain(validated)) {
      if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
      this.entries.set(key, validated);
    }
    return validated;
  }

  clear(): void {
    this.entries.clear();
  }
}

/** Freezes plain objects and arrays all the way down; false (nothing frozen) when anything else is inside. */
function deepFreezePlain(value: unknown): boolean {
  if (!isPlainTree(value)) return false;
  freeze(value);
  return true;
}

function isPlainTree(value: unknown): boolean {
  if (value === null || typeof value !== "object") return typeof value !== "function" && typeof value !== "symbol";
  const prototype: unknown = Object.getPrototypeOf(value);
  if (!Array.isArray(value) && prototype !== Object.prototype && prototype !== null) return false;
  return Object.values(value).every(isPlainTree);
}

function freeze(value: unknown): void {
  if (value === null || typeof value !== "object" || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const item of Object.values(value)) freeze(item);
}
