import * as z from "zod/mini";
import { SmtpEmailError } from "../errors/SmtpEmailError";
import { ValidatedConfigMemo } from "./validatedConfigMemo";

// Each distinct config is validated once (see the memo below), often in a fresh process: compiling a
// fast path per schema with new Function, as zod does by default, costs more than it saves. (And no eval.)
z.config({ jitless: true });

const memos = new WeakMap<z.ZodMiniType, ValidatedConfigMemo<unknown>>();

/**
 * Validates raw node config at the edge. The first problem becomes a configuration error that names
 * the field (by its config key) and says how to fix it; later code only ever sees typed values.
 * A raw config with the same content as one validated recently gets that (frozen) result again.
 */
export function parseNodeConfig<T extends z.ZodMiniType>(schema: T, raw: unknown, nodeLabel: string): z.output<T> {
  let memo = memos.get(schema);
  if (!memo) {
    memo = new ValidatedConfigMemo(`node-config:${nodeLabel}`);
    memos.set(schema, memo);
  }
  return memo.get(raw, (copy) => validate(schema, copy, nodeLabel)) as z.output<T>;
}

function validate<T extends z.ZodMiniType>(schema: T, raw: unknown, nodeLabel: string): z.output<T> {
  const result = schema.safeParse(raw ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue?.path.map(String).join(".") || undefined;
  const message = issue?.message ?? "The node configuration is invalid.";
  return fail(message, field, nodeLabel);
}

function fail(message: string, field: string | undefined, nodeLabel: string): never {
  const where = field ? `the field "${field}"` : "its settings";
  throw new SmtpEmailError("configuration", message, `Open the ${nodeLabel} node and correct ${where}.`, { field });
}
