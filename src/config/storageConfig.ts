import type { ConfigIssues } from "./configIssues";
import { choice, optionalText } from "./rawValues";

export type StorageConfig = { location: "none" } | { location: "input" | "context"; key: string };

type StoreLocation = "none" | "input" | "context";

/** The storeLocation / inputKey / contextKey triple; the default location matches the node's descriptor. */
export const storageConfigShape = (defaultLocation: StoreLocation) => ({
  storeLocation: choice("Where to store the result (storeLocation)", ["none", "input", "context"] as const, defaultLocation),
  inputKey: optionalText("Input Key to store Result (inputKey)"),
  contextKey: optionalText("Context Key to store Result (contextKey)"),
});

type RawStorage = { storeLocation: StoreLocation; inputKey?: string; contextKey?: string };

export function toStorageConfig(raw: RawStorage, ctx: ConfigIssues, defaultKey: string): StorageConfig {
  if (raw.storeLocation === "none") return { location: "none" };
  const key = raw.storeLocation === "input" ? raw.inputKey : raw.contextKey;
  if (key !== undefined && !/^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/.test(key)) {
    const field = raw.storeLocation === "input" ? "inputKey" : "contextKey";
    ctx.addIssue({
      code: "custom",
      path: [field],
      message: `${field} "${key}" is not a valid key: use letters, digits and underscores, with dots for nesting, e.g. smtpResult or email.result.`,
    });
  }
  return { location: raw.storeLocation, key: key ?? defaultKey };
}
