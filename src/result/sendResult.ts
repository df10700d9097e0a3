import { SmtpEmailError, type SmtpEmailErrorCode } from "../errors/SmtpEmailError";

/** What a bot builder finds at the storage key: small, plain, and free of secrets and raw library errors. */
export interface SuccessResult {
  success: true;
  messageId: string;
  accepted: string[];
  rejected: string[];
  response: string;
  envelope: { from: string; to: string[] };
  durationMs: number;
}

export interface FailureResult {
  success: false;
  error: {
    code: SmtpEmailErrorCode;
    message: string;
    hint: string;
    field?: string;
    responseCode?: number;
    command?: string;
  };
}

export type SendResult = SuccessResult | FailureResult;

export function failureResult(error: SmtpEmailError): FailureResult {
  const { field, responseCode, command } = error.details;
  return {
    success: false,
    error: {
      code: error.code,
      message: error.message,
      hint: error.hint,
      ...(field !== undefined && { field }),
      ...(responseCode !== undefined && { responseCode }),
      ...(command !== undefined && { command }),
    },
  };
}

/** Anything thrown that is not ours is a bug or an unforeseen library failure: report it without its innards. */
export function asSmtpEmailError(error: unknown): SmtpEmailError {
  if (error instanceof SmtpEmailError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new SmtpEmailError("connection", `Unexpected failure: ${message}`, "Try again; if it persists, check the node's settings and the server's logs.");
}
