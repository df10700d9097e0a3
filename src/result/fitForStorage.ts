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
  // The usual result is small plain data: a look that allocates nothing shows that trimming would not change it.
  if (fitsAsIs(value)) return value;
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

/** Deeper than any result; past it the trimming path decides. */
const MAX_LOOK_DEPTH = 32;

/**
 * True when `value` is plain JSON data within the list and text limits whose JSON is surely at most
 * MAX_STORED_BYTES: trim would return an equal copy of it, and storedBytes would accept it.
 */
function fitsAsIs(value: unknown): boolean {
  const budget = { bytes: MAX_STORED_BYTES };
  return withinLimits(value, budget, 0, false) && budget.bytes >= 0;
}

/**
 * Walks plain data, taking from `budget.bytes` an upper bound of each part's JSON in UTF-8: a UTF-16 unit
 * takes at most 6 bytes (a \uXXXX escape), a number at most 25 characters.
 */
function withinLimits(value: unknown, budget: { bytes: number }, depth: number, inArray: boolean): boolean {
  switch (typeof value) {
    case "string":
      budget.bytes -= 2 + 6 * value.length;
      return value.length <= STORED_TEXT_LIMIT;
    case "number":
    case "boolean":
      budget.bytes -= 25;
      return true;
    case "undefined":
      budget.bytes -= 4;
      return inArray || depth > 0;
    case "object": {
      budget.bytes -= 4;
      if (value === null) return true;
      if (depth >= MAX_LOOK_DEPTH || budget.bytes < 0) return false;
      if (Array.isArray(value)) {
        if (value.length > STORED_LIST_LIMIT || Object.keys(value).length !== value.length) return false;
        for (let i = 0; i < value.length; i++) if (!withinLimits(value[i], budget, depth + 1, true)) return false;
        return true;
      }
      if (Object.getPrototypeOf(value) !== Object.prototype) return false;
      const record = value as Record<string, unknown>;
      for (const key of Object.keys(record)) {
        budget.bytes -= 4 + 6 * key.length;
        if (!withinLimits(record[key], budget, depth + 1, false)) return false;
      }
      return budget.bytes >= 0;
    }
    default:
      return false;
  }
}
