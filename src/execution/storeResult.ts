import type { StorageConfig } from "../config/storageConfig";
import type { CognigyApi } from "./cognigyApi";
import { fitForStorage } from "../result/fitForStorage";

/** Puts a result where the node's storage settings say: Input, Context or nowhere; always small enough for Cognigy to keep. */
export function storeResult(api: CognigyApi, storage: StorageConfig, value: unknown): void {
  if (storage.location === "none") return;
  const fitted = fitForStorage(value);
  if (storage.location === "input") api.addToInput?.(storage.key, fitted);
  else api.addToContext?.(storage.key, fitted, "simple");
}
