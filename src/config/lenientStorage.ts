import * as z from "zod/mini";
import { transformWithIssues } from "./configIssues";
import { storageConfigShape, toStorageConfig, type StorageConfig } from "./storageConfig";

/**
 * Where to store a failure even when the rest of the config is broken, so a bot builder still learns
 * what was wrong. Falls back to storing nothing when the storage fields themselves are invalid.
 */
export function lenientStorage(raw: unknown, defaultLocation: "none" | "input" | "context", defaultKey: string): StorageConfig {
  const shape = storageConfigShape(defaultLocation);
  const schema = z.pipe(z.object(shape), transformWithIssues((value: z.output<z.ZodMiniObject<typeof shape>>, ctx) => toStorageConfig(value, ctx, defaultKey)));
  const result = schema.safeParse(raw ?? {});
  return result.success ? result.data : { location: "none" };
}
