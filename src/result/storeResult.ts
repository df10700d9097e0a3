import type { StorageConfig } from "../config/storageConfig";
import type { CognigyApi } from "../execution/cognigyApi";

/** Puts a result where the node's storage settings say: Input, Context or nowhere. */
export function storeResult(api: CognigyApi, storage: StorageConfig, value: unknown): void {
  if (storage.location === "input") api.addToInput?.(storage.key, value);
  else if (storage.location === "context") api.addToContext?.(storage.key, value, "simple");
}
