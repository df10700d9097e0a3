import type { INodeExecutionAPI } from "@cognigy/extension-tools/build/interfaces/descriptor";

/**
 * The part of Cognigy's node API this extension uses; tests hand in a recording stand-in.
 * `addToInput` exists at runtime but extension-tools 0.14 does not declare it, hence the addition.
 */
export type CognigyApi = Pick<INodeExecutionAPI, "log" | "addToContext" | "stopExecution"> & {
  addToInput?: (key: string, value: unknown) => void;
};
