import type { SentMessage } from "./sentMessage";
import { SmtpEmailError, type SmtpEmailErrorCode } from "../errors/SmtpEmailError";

/** What a bot builder finds at the storage key: small, plain, and free of secrets and raw library errors. */
export interface SuccessResult extends SentMessage {
  success: true;
  durationMs: number;
}

export interface FailureResult {
  success: false;
  /** The Message-ID of the message, once it existed (also when the send failed): to trace it, or to resend with it. */
  messageId?: string;
  error: {
    code: SmtpEmailErrorCode;
    message: string;
    hint: string;
    field?: string;
    responseCode?: number;
    command?: string;
    /** Only with code "unknownOutcome": the message went out whole and no answer came. */
    mayHaveBeenDelivered?: true;
    /** Microsoft Graph: the HTTP status of its answer, and the ids of the request, for support tickets. */
    httpStatus?: number;
    requestId?: string;
    clientRequestId?: string;
  };
}

export type SendResult = SuccessResult | FailureResult;

export function failureResult(error: SmtpEmailError, messageId?: string): FailureResult {
  const { field, responseCode, command, httpStatus, requestId, clientRequestId } = error.details;
  return {
    success: false,
    ...(messageId !== undefined && { messageId }),
    error: {
      code: error.code,
      message: error.message,
      hint: error.hint,
      ...(field !== undefined && { field }),
      ...(responseCode !== undefined && { responseCode }),
      ...(command !== undefined && { command }),
      ...(error.code === "unknownOutcome" && { mayHaveBeenDelivered: true as const }),
      ...(httpStatus !== undefined && { httpStatus }),
      ...(requestId !== undefined && { requestId }),
      ...(clientRequestId !== undefined && { clientRequestId }),
    },
  };
}

/** Anything thrown that is not ours is a bug or an unforeseen library failure: report it without its innards. */
export function asSmtpEmailError(error: unknown): SmtpEmailError {
  if (error instanceof SmtpEmailError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new SmtpEmailError("connection", `Unexpected failure: ${message}`, "Try again; if it persists, check the node's settings and the server's logs.");
}
