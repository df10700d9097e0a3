/**
 * The JSON text of a value that is plain JSON data (objects, arrays, strings, finite numbers,
 * booleans, null), or undefined when it is anything else or its strings exceed `maxChars` in total.
 * For such a value JSON.parse(text) is an exact copy, detached from the caller's objects. Object
 * properties whose value is undefined are left out, as JSON does.
 */
export function plainJsonText(value: unknown, maxChars: number): string | undefined {
  // Checked by a walk first: JSON.stringify alone would turn a Date into text, NaN into null, drop functions.
  const budget = { chars: maxChars };
  try {
    return isPlain(value, false, budget, 0) ? JSON.stringify(value) : undefined;
  } catch {
    // A throwing getter: not plain data either.
    return undefined;
  }
}

/** Deeper than any node config; a cycle ends here too. */
const MAX_DEPTH = 32;

function isPlain(value: unknown, inArray: boolean, budget: { chars: number }, depth: number): boolean {
  switch (typeof value) {
    case "string":
      budget.chars -= value.length;
      return budget.chars >= 0;
    case "boolean":
      return true;
    case "number":
      return Number.isFinite(value);
    case "undefined":
      // A hole or undefined in a list would become null: not the same value.
      return !inArray;
    case "object": {
      if (value === null) return true;
      if (depth >= MAX_DEPTH) return false;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) if (!isPlain(value[i], true, budget, depth + 1)) return false;
        return true;
      }
      const prototype: unknown = Object.getPrototypeOf(value);
      if (prototype !== Object.prototype && prototype !== null) return false;
      for (const key in value) if (!isPlain((value as Record<string, unknown>)[key], false, budget, depth + 1)) return false;
      return true;
    }
    default:
      return false;
  }
}
