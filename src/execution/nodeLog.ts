import { redactSecrets, type SecretSet } from "../result/redactSecrets";
import type { CognigyApi } from "./cognigyApi";

export type LogLevel = "debug" | "info" | "warn" | "error";

/** Logs through Cognigy with the node's name in front and every known secret redacted. */
export function nodeLog(api: CognigyApi, nodeLabel: string, secrets: SecretSet | ReadonlyArray<string | undefined>) {
  return (level: LogLevel, text: string) => api.log?.(level, redactSecrets(`${nodeLabel}: ${text}`, secrets));
}
