import * as z from "zod/mini";

/** One problem found while turning raw config into typed values: the field's key and what to do. */
export type ConfigIssue = {
  code: "custom";
  path?: Array<string | number>;
  message: string;
};

/** Where the config conversions report problems; the first one becomes the node's configuration error. */
export interface ConfigIssues {
  addIssue(issue: ConfigIssue): void;
}

/**
 * A zod transform whose function can report issues, as classic zod's `.transform(fn)` allows: zod/mini
 * hands a transform only the parse payload, so the issues go into its list here.
 */
export function transformWithIssues<I, O>(convert: (value: I, issues: ConfigIssues) => O) {
  return z.transform((value: I, payload: z.core.ParsePayload<unknown>) =>
    convert(value, { addIssue: (issue) => payload.issues.push({ ...issue, input: value }) }),
  );
}
