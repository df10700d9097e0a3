import * as z from "zod";

/**
 * Cognigy hands node config over loosely: empty text fields arrive as "" or null, numbers sometimes as
 * strings, toggles sometimes as "true". These preprocessors turn that into clean optional values.
 */
const emptyToUndefined = (value: unknown): unknown => {
  if (value === null || value === undefined) return undefined;
  if (typeof value === "string" && value.trim() === "") return undefined;
  return value;
};

/** Optional text; trimmed; numbers are accepted as their decimal text. */
export const optionalText = (field: string) =>
  z.preprocess(
    (value) => {
      const cleaned = emptyToUndefined(value);
      if (typeof cleaned === "number") return String(cleaned);
      return typeof cleaned === "string" ? cleaned.trim() : cleaned;
    },
    z.string({ error: `${field} must be text.` }).optional(),
  );

/** Optional text kept as written (content, PEM, Base64): only empty becomes undefined. */
export const optionalRawText = (field: string) =>
  z.preprocess(emptyToUndefined, z.string({ error: `${field} must be text.` }).optional());

export const flag = (defaultValue: boolean) =>
  z.preprocess((value) => {
    const cleaned = emptyToUndefined(value);
    if (cleaned === "true") return true;
    if (cleaned === "false") return false;
    return cleaned ?? defaultValue;
  }, z.boolean());

export const optionalNumber = (field: string) =>
  z.preprocess(
    (value) => {
      const cleaned = emptyToUndefined(value);
      return typeof cleaned === "string" ? Number(cleaned) : cleaned;
    },
    z.number({ error: `${field} must be a number.` }).refine(Number.isFinite, { error: `${field} must be a number.` }).optional(),
  );

/** A select value: empty means its default, anything else must be one of the offered values. */
export const choice = <const T extends readonly [string, ...string[]]>(field: string, values: T, defaultValue: T[number]) =>
  z.preprocess(
    (value) => emptyToUndefined(value) ?? defaultValue,
    z.enum(values, { error: `${field} must be one of: ${values.join(", ")}.` }),
  );

/** Address lists: a comma-separated string or, from a CognigyScript expression, an array. */
export const addressList = (field: string) =>
  z.preprocess(
    emptyToUndefined,
    z
      .union([z.string(), z.array(z.unknown())], { error: `${field} must be a comma-separated list of addresses or an array of them.` })
      .optional(),
  );

/** JSON fields arrive parsed, but a CognigyScript text may still hold JSON. */
export const jsonValue = (field: string) =>
  z.preprocess((value, ctx) => {
    const cleaned = emptyToUndefined(value);
    if (typeof cleaned !== "string") return cleaned;
    try {
      return JSON.parse(cleaned) as unknown;
    } catch {
      ctx.addIssue({ code: "custom", message: `${field} is not valid JSON: check quotes, commas and brackets.` });
      return undefined;
    }
  }, z.unknown().optional());
