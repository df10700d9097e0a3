import type { AttachmentSeams } from "../attachments";
import { lenientStorage } from "../config/lenientStorage";
import { rawSecretsOf, rawStopOnError } from "../config/rawFallbacks";
import { secretSetOf } from "../config/secretsOf";
import { parseSendSmtpEmailConfig, type SendSmtpEmailConfig } from "../config/sendSmtpEmailConfig";
import { SmtpEmailError } from "../errors/SmtpEmailError";
import { buildMailOptions, readyMailOptions } from "../message/buildMailOptions";
import { resolveRecipients } from "../message/recipients";
import { requiresSmtpUtf8 } from "../message/smtpUtf8";
import { redactValue, type SecretSet } from "../result/redactSecrets";
import { asSmtpEmailError, failureResult, type SendResult } from "../result/sendResult";
import { storeResult } from "./storeResult";
import { authenticatedUser } from "../config/authenticatedUser";
import { prepareDelivery, sendMail, serverOffersSmtpUtf8, type EarlySend } from "../delivery";
import type { CognigyApi } from "./cognigyApi";
import { createDeadline } from "../deadline/deadline";
import { nodeLog, type LogLevel } from "./nodeLog";
import { retryTransient } from "./retryTransient";

const NODE_LABEL = "Send SMTP Email";

/**
 * Sends one mail as configured on a Send SMTP Email node, stores the outcome, and halts the flow on
 * failure when Stop on Error is on. Never throws: every failure becomes a stored, logged result.
 * `seams` is for code only (the node descriptor never passes it): tests trust their loopback servers there.
 */
export async function runSendSmtpEmail(api: CognigyApi, rawConfig: unknown, seams: AttachmentSeams = {}): Promise<SendResult> {
  let config: SendSmtpEmailConfig;
  try {
    config = parseSendSmtpEmailConfig(rawConfig);
  } catch (error) {
    const secrets = rawSecretsOf(rawConfig);
    const result = redactValue(failureResult(asSmtpEmailError(error)), secrets);
    const log = nodeLog(api, NODE_LABEL, secrets);
    storeResult(api, lenientStorage(rawConfig, "none", "smtpResult"), result);
    log("error", `${result.error.message} ${result.error.hint}`);
    if (rawStopOnError(rawConfig)) api.stopExecution?.();
    return result;
  }

  // Grows while sending: each access token obtained is added, so it is redacted like a configured secret.
  const secrets = secretSetOf(config.transport.auth);
  const log = nodeLog(api, NODE_LABEL, secrets);

  if (config.async) {
    // The flow goes on at once; the outcome can only be logged, and a failure must not escape as an unhandled rejection.
    void send(config, log, secrets, seams)
      .then(
        (result) => log(result.success ? "info" : "error", describe(result)),
        (error: unknown) => log("error", `unexpected failure: ${asSmtpEmailError(error).message}`),
      )
      // The logger itself may fail (e.g. the flow's session has ended); nothing is left to tell then.
      .catch(() => undefined);
    log("info", "sending asynchronously; the flow continues.");
    return { success: true, transport: config.transport.delivery.kind, messageId: "", accepted: [], rejected: [], response: "queued (asynchronous execution)", envelope: { from: "", to: [] }, durationMs: 0 };
  }

  const result = redactValue(await send(config, log, secrets, seams), secrets);
  storeResult(api, config.storage, result);
  log(result.success ? "info" : "error", describe(result));
  if (!result.success && config.stopOnError) api.stopExecution?.();
  return result;
}

async function send(config: SendSmtpEmailConfig, log: (level: LogLevel, text: string) => void, secrets: SecretSet, seams: AttachmentSeams): Promise<SendResult> {
  const started = Date.now();
  const deadline = createDeadline(config.transport.options.timeoutMs);
  // A cold send's own session, being set up while the message is prepared; undefined when the pool serves.
  let early: EarlySend | undefined;
  // Known from the moment the message exists, and stored with a failure too: to trace it, or to resend with it.
  let messageId: string | undefined;
  try {
    const defaultFrom = authenticatedUser(config.transport.auth);
    // Addresses are part of the config: a bad one opens no connection (checked once per remembered config).
    resolveRecipients(config.message, defaultFrom);
    // What waits on the network (connection, TLS, token) starts now and runs while the message is prepared.
    early = prepareDelivery(config.transport, deadline, secrets);
    // On a session of its own, one turn of the event loop first: Node makes the connect call on the next
    // tick, and the promise chain of preparing the message (loading nodemailer's Mail front and the HTML
    // converter, converting) would otherwise hold that tick back until it ends.
    if (early) await new Promise((resolve) => setImmediate(resolve));
    // The usual warm mail (no attachments, its text given) is ready at once: no await on the way to the server.
    const mail = readyMailOptions(config.message, config.attachments, defaultFrom) ?? (await buildMailOptions(config.message, config.attachments, config.attachmentLimits, { defaultFrom, deadline, attachmentSeams: seams }));
    messageId = typeof mail.messageId === "string" ? mail.messageId : undefined;
    // nodemailer would send a non-ASCII mailbox raw to a server that never agreed to it: refuse first.
    // Graph has no server to ask; it answers for itself.
    if (config.transport.delivery.kind === "smtp" && requiresSmtpUtf8(mail) && !(await (early ? early.offersSmtpUtf8() : serverOffersSmtpUtf8(config.transport, deadline)))) {
      throw new SmtpEmailError(
        "address",
        "An address has non-ASCII characters before the @, and the server does not support internationalized addresses (SMTPUTF8). Nothing was sent.",
        "Use an ASCII address for this recipient or sender, or send through a server that supports SMTPUTF8.",
      );
    }
    const session = early;
    // Handed over: from here the session's send answers for it, and a retry goes through the pool.
    early = undefined;
    let attempts = 0;
    const sent = await retryTransient(
      () => (session && attempts++ === 0 ? session.send(mail) : sendMail(config.transport, mail, deadline, secrets)),
      deadline,
      asSmtpEmailError,
      (error, retry) => log("warn", `transient failure (${error.message}); retry ${retry} of 2.`),
    );
    return {
      success: true,
      transport: sent.transport,
      messageId: sent.messageId,
      accepted: sent.accepted,
      rejected: sent.rejected,
      response: sent.response,
      envelope: sent.envelope,
      ...(sent.requestId !== undefined && { requestId: sent.requestId }),
      ...(sent.clientRequestId !== undefined && { clientRequestId: sent.clientRequestId }),
      durationMs: Date.now() - started,
    };
  } catch (error) {
    // The message could not be built (or was refused before sending): nothing went out, the prepared session says QUIT.
    early?.cancel();
    return failureResult(asSmtpEmailError(error), messageId);
  } finally {
    deadline.dispose();
  }
}

function describe(result: SendResult): string {
  if (result.success) return `sent ${result.messageId} to ${result.accepted.length} recipient(s) in ${result.durationMs} ms.`;
  return `failed (${result.error.code})${result.messageId ? ` for ${result.messageId}` : ""}: ${result.error.message} Fix: ${result.error.hint}`;
}
