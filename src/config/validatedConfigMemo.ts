import { plainJsonText } from "./plainJson";

/** Bots send from few distinct node configs; a small bound keeps memory (and secrets held) low. */
const MAX_ENTRIES = 32;
/** Larger configs (big HTML, Base64 attachments) are parsed each time: remembering them would cost about as much. */
const MAX_REMEMBERED_CHARS = 64 * 1024;

interface Entry<T> {
  /** A frozen plain copy of the raw config that was validated: what a later raw config is compared with. */
  readonly raw: unknown;
  readonly validated: T;
}

/**
 * Remembers validated node configs per schema, so a flow that runs the same node again and again does
 * not validate the same raw config on every send. Only what passed validation is kept, frozen, and it
 * is handed out for a raw config with exactly the same content (plain JSON only).
 *
 * Raw configs hold passwords and client secrets, so nothing is derived from them as a key: a raw config
 * is compared with the remembered copies themselves, field by field, most recently used first (a walk
 * that stops at the first difference and allocates nothing: no text, no hash per send). The copies hold
 * the same secrets as the validated configs kept next to them, and as the raw ones the runtime already
 * holds: at most MAX_ENTRIES per schema, least recently used dropped first.
 */
export class ValidatedConfigMemo<T> {
  /** Least recently used first. */
  private readonly entries: Array<Entry<T>> = [];

  // The kind names the schema in messages and debugging; entries of different kinds never meet.
  constructor(readonly kind: string) {}

  /** The remembered result for `raw`, or `validate`'s result on a copy of it (remembered when plain). */
  get(raw: unknown, validate: (raw: unknown) => T): T {
    const found = this.find(raw);
    if (found !== undefined) {
      const entry = this.entries[found]!;
      // Most recently used goes to the end.
      if (found !== this.entries.length - 1) {
        this.entries.splice(found, 1);
        this.entries.push(entry);
      }
      return entry.validated;
    }
    const text = plainJsonText(raw, MAX_REMEMBERED_CHARS);
    if (text === undefined) return validate(raw);
    // Validate a copy: later changes to the caller's objects cannot reach the entry.
    const validated = validate(JSON.parse(text) as unknown);
    if (deepFreezePlain(validated)) {
      const copy: unknown = JSON.parse(text);
      freeze(copy);
      if (this.entries.length >= MAX_ENTRIES) this.entries.shift();
      this.entries.push({ raw: copy, validated });
    }
    return validated;
  }

  clear(): void {
    this.entries.length = 0;
  }

  private find(raw: unknown): number | undefined {
    try {
      for (let i = this.entries.length - 1; i >= 0; i--) if (samePlainJson(raw, this.entries[i]!.raw)) return i;
    } catch {
      // A throwing getter: not plain data, so never remembered.
    }
    return undefined;
  }
}

/**
 * Whether `value` has the JSON text of `copy` (a parsed JSON value): the same plain data, object
 * properties holding undefined left out as JSON leaves them out. Anything not plain JSON differs.
 */
function samePlainJson(value: unknown, copy: unknown): boolean {
  if (copy === null || typeof copy !== "object") return value === copy;
  if (value === null || typeof value !== "object") return false;
  if (Array.isArray(copy)) {
    if (!Array.isArray(value) || value.length !== copy.length) return false;
    for (let i = 0; i < copy.length; i++) if (!samePlainJson(value[i], copy[i])) return false;
    return true;
  }
  if (Array.isArray(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return false;
  const record = value as Record<string, unknown>;
  const copied = copy as Record<string, unknown>;
  let keys = 0;
  for (const key in record) {
    const inner = record[key];
    if (inner === undefined) continue;
    if (!Object.prototype.hasOwnProperty.call(copied, key) || !samePlainJson(inner, copied[key])) return false;
    keys++;
  }
  for (const key in copied) if (Object.prototype.hasOwnProperty.call(copied, key)) keys--;
  return keys === 0;
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
