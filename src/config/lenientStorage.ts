import * as z from "zod";
import { storageConfigShape, toStorageConfig, type StorageConfig } from "./storageConfig";

/**
 * Where to store a failure even when the rest of the config is broken, so a bot builder still learns
 * what was wrong. Falls back to storing nothing when the storage fields themselves are invalid.
 */
export function lenientStorage(raw: unknown, defaultLocation: "none" | "input" | "context", defaultKey: string): StorageConfig {
  const schema = z.object(storageConfigShape(defaultLocation)).transform((value, ctx) => toStorageConfig(value, ctx, defaultKey));
  const result = schema.safeParse(raw ?? {});
  return result.success ? result.data : { location: "none" };
}
