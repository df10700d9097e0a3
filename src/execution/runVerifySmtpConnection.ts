import { lenientStorage } from "../config/lenientStorage";
import { rawSecretsOf, rawStopOnError } from "../config/rawFallbacks";
import { secretSetOf } from "../config/secretsOf";
import { parseVerifySmtpConnectionConfig, type VerifySmtpConnectionConfig } from "../config/verifySmtpConnectionConfig";
import { redactValue, type SecretSet } from "../result/redactSecrets";
import { asSmtpEmailError, failureResult } from "../result/sendResult";
import { storeResult } from "./storeResult";
import type { FailureResult } from "../result/sendResult";
import { verifyConnection, type VerifiedConnection } from "../delivery";
import type { CognigyApi } from "./cognigyApi";
import { createDeadline } from "../deadline/deadline";
import { nodeLog } from "./nodeLog";

const NODE_LABEL = "Test SMTP Connection";

export type VerifyResult =
  | ({ success: true } & VerifiedConnection)
  | { success: false; secure: false; authenticated: false; server: string; error: FailureResult["error"] };

/** Connects, negotiates TLS and logs in, exactly as a send would, but sends nothing. Never throws. */
export async function runVerifySmtpConnection(api: CognigyApi, rawConfig: unknown): Promise<VerifyResult> {
  let config: VerifySmtpConnectionConfig;
  try {
    config = parseVerifySmtpConnectionConfig(rawConfig);
  } catch (error) {
    const secrets = rawSecretsOf(rawConfig);
    return finish(api, lenientStorage(rawConfig, "input", "smtpConnectionTest"), rawStopOnError(rawConfig), secrets, failed("", error));
  }
  // Grows while verifying: the access token obtained is added.
  const secrets = secretSetOf(config.transport.auth);
  const deadline = createDeadline(config.transport.options.timeoutMs);
  const server = describeServer(config);
  let result: VerifyResult;
  try {
    result = { success: true, ...(await verifyConnection(config.transport, deadline, secrets)) };
  } catch (error) {
    result = failed(server, error);
  } finally {
    deadline.dispose();
  }
  return finish(api, config.storage, config.stopOnError, secrets, result);
}

function finish(api: CognigyApi, storage: VerifySmtpConnectionConfig["storage"], stopOnError: boolean, secrets: SecretSet | string[], raw: VerifyResult): VerifyResult {
  const result = redactValue(raw, secrets);
  const log = nodeLog(api, NODE_LABEL, secrets);
  storeResult(api, storage, result);
  if (result.success && result.transport === "graph") {
    const permission = result.mailSendPermission === undefined ? "not readable from the token" : result.mailSendPermission ? "in the token" : "not in the token";
    log(result.warning ? "warn" : "info", `got a Microsoft Graph token for ${result.server} to send as ${result.mailbox} (Mail.Send ${permission}).${result.warning ? ` ${result.warning}` : ""}`);
  } else if (result.success) log("info", `connected to ${result.server} (secure: ${result.secure}, authenticated: ${result.authenticated}).`);
  else log("error", `failed (${result.error.code}): ${result.error.message} Fix: ${result.error.hint}`);
  if (!result.success && stopOnError) api.stopExecution?.();
  return result;
}

function failed(server: string, error: unknown): VerifyResult {
  return { success: false, secure: false, authenticated: false, server, error: failureResult(asSmtpEmailError(error)).error };
}

function describeServer(config: VerifySmtpConnectionConfig): string {
  if (config.transport.delivery.kind === "graph") return new URL(config.transport.delivery.endpoint).host;
  const { emailService, host, port } = config.transport.server;
  return emailService === "custom" ? `${host ?? ""}${port ? `:${port}` : ""}` : emailService;
}
