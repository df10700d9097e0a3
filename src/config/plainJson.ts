/**
 * The JSON text of a value that is plain JSON data (objects, arrays, strings, finite numbers,
 * booleans, null), or undefined when it is anything else or longer than `maxChars`. For such a value
 * JSON.parse(text) is an exact copy, so the text can stand for the value, e.g. as a cache key.
 * Object properties whose value is undefined are left out, as JSON does.
 */
export function plainJsonText(value: unknown, maxChars: number): string | undefined {
  let chars = 0;
  try {
    return JSON.stringify(value, function (this: unknown, key: string, item: unknown) {
      // `item` is after toJSON(); the holder still has the original (a Date, a Buffer).
      const original = (this as Record<string, unknown>)[key] ?? item;
      if (!isPlain(original, Array.isArray(this))) throw NOT_PLAIN;
      if (typeof item === "string") chars += item.length;
      if (chars > maxChars) throw NOT_PLAIN;
      return item;
    });
  } catch {
    // NOT_PLAIN, or a cycle or a throwing getter: not plain data either way.
    return undefined;
  }
}

const NOT_PLAIN = new Error("not plain JSON");

function isPlain(value: unknown, inArray: boolean): boolean {
  switch (typeof value) {
    case "string":
    case "boolean":
      return true;
    case "number":
      return Number.isFinite(value);
    case "undefined":
      // A hole or undefined in a list would become null: not the same value.
      return !inArray;
    case "object": {
      if (value === null || Array.isArray(value)) return true;
      const prototype: unknown = Object.getPrototypeOf(value);
      return prototype === Object.prototype || prototype === null;
    }
    default:
      return false;
  }
}
