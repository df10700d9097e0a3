import type { CognigyApi } from "../../src/execution/cognigyApi";

export type ApiCall =
  | { kind: "addToInput"; key: string; value: unknown }
  | { kind: "addToContext"; key: string; value: unknown; mode: string }
  | { kind: "log"; level: string; text: string }
  | { kind: "stopExecution" };

/** Sets `path` (dots for nesting) inside `target`, as Cognigy does for input and context keys. */
function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split(".");
  let node = target;
  for (const part of parts.slice(0, -1)) {
    const next = node[part];
    node = (next && typeof next === "object" ? next : (node[part] = {})) as Record<string, unknown>;
  }
  node[parts[parts.length - 1]!] = value;
}

function getPath(target: Record<string, unknown>, path: string): unknown {
  return path.split(".").reduce<unknown>((node, part) => (node && typeof node === "object" ? (node as Record<string, unknown>)[part] : undefined), target);
}

const transcripts: Array<() => string> = [];

/** Adds another recorder's transcript to the secret scan of this test file. */
export function registerTranscript(transcript: () => string): void {
  transcripts.push(transcript);
}

/** What every stand-in created in this test file handed over, for the secret scan after the file. */
export function transcriptsOfThisFile(): string[] {
  return transcripts.map((transcript) => transcript());
}

/**
 * A stand-in for the Cognigy node API, faithful to @cognigy/extension-tools' INodeExecutionAPI in the
 * methods this extension calls: it keeps real Input and Context objects and records every call.
 */
export function cognigyApiStandIn() {
  const input: Record<string, unknown> = {};
  const context: Record<string, unknown> = {};
  const calls: ApiCall[] = [];
  let stopped = false;
  const api: CognigyApi = {
    addToInput: (key, value) => {
      calls.push({ kind: "addToInput", key, value });
      setPath(input, key, value);
    },
    addToContext: (key: string, value: unknown, mode: string) => {
      calls.push({ kind: "addToContext", key, value, mode });
      if (mode === "array") {
        const existing = getPath(context, key);
        setPath(context, key, Array.isArray(existing) ? [...existing, value] : existing === undefined ? [value] : [existing, value]);
      } else {
        setPath(context, key, value);
      }
    },
    log: (level: string, text: string) => {
      calls.push({ kind: "log", level, text });
    },
    stopExecution: () => {
      calls.push({ kind: "stopExecution" });
      stopped = true;
    },
  };
  transcripts.push(() => JSON.stringify({ calls, input, context }));
  return {
    api,
    input,
    context,
    calls,
    get stopped() {
      return stopped;
    },
    logs: (level?: string) => calls.flatMap((call) => (call.kind === "log" && (!level || call.level === level) ? [call.text] : [])),
    /** Everything the node handed to Cognigy, as one text: for scanning for secrets. */
    transcript: () => JSON.stringify(calls),
  };
}

export type CognigyApiStandIn = ReturnType<typeof cognigyApiStandIn>;
