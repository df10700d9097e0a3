import type { CognigyApi } from "../../../src/execution/cognigyApi";
import { registerTranscript } from "../../support/cognigyApiStandIn";

export type RecordedCall =
  | { kind: "addToInput"; key: string; value: unknown }
  | { kind: "addToContext"; key: string; value: unknown; mode: string }
  | { kind: "log"; level: string; text: string };

/** A stand-in for Cognigy's node API that records what the node does with it. */
export function recordingApi(): CognigyApi & { calls: RecordedCall[]; stored(): unknown; logs(level: string): string[] } {
  const calls: RecordedCall[] = [];
  registerTranscript(() => JSON.stringify(calls));
  return {
    calls,
    addToInput: (key, value) => calls.push({ kind: "addToInput", key, value }),
    addToContext: (key, value: unknown, mode) => calls.push({ kind: "addToContext", key, value, mode }),
    log: (level, text) => calls.push({ kind: "log", level, text }),
    stored() {
      const store = calls.find((call) => call.kind === "addToInput" || call.kind === "addToContext");
      return store && "value" in store ? store.value : undefined;
    },
    logs(level) {
      return calls.flatMap((call) => (call.kind === "log" && call.level === level ? [call.text] : []));
    },
  };
}
