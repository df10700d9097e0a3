import * as z from "zod/mini";
import { transformWithIssues, type ConfigIssues } from "./configIssues";

/**
 * Cognigy hands node config over loosely: empty text fields arrive as "" or null, numbers sometimes as
 * strings, toggles sometimes as "true". These preprocessors turn that into clean optional values.
 *
 * zod/mini rather than zod's classic API: the same validator core, but schemas without the ~50 methods
 * every classic schema carries, and only the parts in use end up in the bundle. Building the node's
 * schemas in a fresh process, which happens on every cold send, costs about half as much.
 */
const emptyToUndefined = (value: unknown): unknown => {
  if (value === null || value === undefined) return undefined;
  if (typeof value === "string" && value.trim() === "") return undefined;
  return value;
};

/** zod/mini's form of classic zod's `z.preprocess`: `prepare` runs first, `schema` checks what it returns. */
export const preprocess = <S extends z.ZodMiniType>(prepare: (value: unknown, issues: ConfigIssues) => unknown, schema: S) =>
  z.pipe(transformWithIssues(prepare), schema);

/** Optional text; trimmed; numbers are accepted as their decimal text. */
export const optionalText = (field: string) =>
  preprocess(
    (value) => {
      const cleaned = emptyToUndefined(value);
      if (typeof cleaned === "number") return String(cleaned);
      return typeof cleaned === "string" ? cleaned.trim() : cleaned;
    },
    z.optional(z.string({ error: `${field} must be text.` })),
  );

/** Optional text kept as written (content, PEM, Base64): only empty becomes undefined. */
export const optionalRawText = (field: string) => preprocess(emptyToUndefined, z.optional(z.string({ error: `${field} must be text.` })));

export const flag = (defaultValue: boolean) =>
  preprocess((value) => {
    const cleaned = emptyToUndefined(value);
    if (cleaned === "true") return true;
    if (cleaned === "false") return false;
    return cleaned ?? defaultValue;
  }, z.boolean());

export const optionalNumber = (field: string) =>
  preprocess(
    (value) => {
      const cleaned = emptyToUndefined(value);
      return typeof cleaned === "string" ? Number(cleaned) : cleaned;
    },
    z.optional(z.number({ error: `${field} must be a number.` }).check(z.refine(Number.isFinite, { error: `${field} must be a number.` }))),
  );

/** A select value: empty means its default, anything else must be one of the offered values. */
export const choice = <const T extends readonly [string, ...string[]]>(field: string, values: T, defaultValue: T[number]) =>
  preprocess((value) => emptyToUndefined(value) ?? defaultValue, z.enum(values, { error: `${field} must be one of: ${values.join(", ")}.` }));

/** Address lists: a comma-separated string or, from a CognigyScript expression, an array. */
export const addressList = (field: string) =>
  preprocess(
    emptyToUndefined,
    z.optional(z.union([z.string(), z.array(z.unknown())], { error: `${field} must be a comma-separated list of addresses or an array of them.` })),
  );

/** JSON fields arrive parsed, but a CognigyScript text may still hold JSON. */
export const jsonValue = (field: string) =>
  preprocess((value, ctx) => {
    const cleaned = emptyToUndefined(value);
    if (typeof cleaned !== "string") return cleaned;
    try {
      return JSON.parse(cleaned) as unknown;
    } catch {
      ctx.addIssue({ code: "custom", message: `${field} is not valid JSON: check quotes, commas and brackets.` });
      return undefined;
    }
  }, z.optional(z.unknown()));
