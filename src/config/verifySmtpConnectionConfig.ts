import * as z from "zod/mini";
import { transformWithIssues } from "./configIssues";
import { wellKnownService } from "./wellKnownServices";
import { parseNodeConfig } from "./parseNodeConfig";
import { flag } from "./rawValues";
import { storageConfigShape, toStorageConfig, type StorageConfig } from "./storageConfig";
import { toTransportConfig, transportConfigShape, type TransportConfig } from "./transportConfig";

export interface VerifySmtpConnectionConfig {
  transport: TransportConfig;
  storage: StorageConfig;
  stopOnError: boolean;
}

const rawVerifyConfig = z.object({ ...transportConfigShape, ...storageConfigShape("input"), stopOnError: flag(false) });

const schema = z.pipe(
  rawVerifyConfig,
  transformWithIssues((raw: z.output<typeof rawVerifyConfig>, ctx): VerifySmtpConnectionConfig => ({
    transport: toTransportConfig(raw, ctx, (name) => wellKnownService(name) !== false),
    storage: toStorageConfig(raw, ctx, "smtpConnectionTest"),
    stopOnError: raw.stopOnError,
  })),
);

export function parseVerifySmtpConnectionConfig(raw: unknown): VerifySmtpConnectionConfig {
  return parseNodeConfig(schema, raw, "Test SMTP Connection");
}
