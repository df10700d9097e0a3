import { MAX_STORED_BYTES, STORED_LIST_LIMIT, STORED_TEXT_LIMIT, storedBytes } from "./storageLimit";

/** Tighter limits, tried in turn, for the rare result that is still too large (e.g. 100 very long addresses). */
const FALLBACK_LIMITS = [
  { lists: 20, texts: 500 },
  { lists: 0, texts: 200 },
];

/**
 * A result as it may be stored: a list longer than the limit keeps its first entries and gains a sibling
 * `<name>Count` with the full number (accepted → acceptedCount, envelope.to → envelope.toCount), and a long
 * text is cut with "…". Small results come back unchanged.
 */
export function fitForStorage(value: unknown): unknown {
  let fitted = trim(value, STORED_LIST_LIMIT, STORED_TEXT_LIMIT);
  for (const limits of FALLBACK_LIMITS) {
    if (storedBytes(fitted) <= MAX_STORED_BYTES) break;
    fitted = trim(value, limits.lists, limits.texts);
  }
  return fitted;
}

function trim(value: unknown, listLimit: number, textLimit: number): unknown {
  if (typeof value === "string") return value.length > textLimit ? `${value.slice(0, textLimit)}…` : value;
  if (Array.isArray(value)) return value.slice(0, listLimit).map((item) => trim(item, listLimit, textLimit));
  if (value === null || typeof value !== "object") return value;
  const trimmed: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(value)) {
    trimmed[key] = trim(entry, listLimit, textLimit);
    const countKey = `${key}Count`;
    if (Array.isArray(entry) && entry.length > listLimit && !(countKey in value)) trimmed[countKey] = entry.length;
  }
  return trimmed;
}
