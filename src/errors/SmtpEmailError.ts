/** The small set of failure kinds a flow designer can act on; each comes with a hint. */
export type SmtpEmailErrorCode =
  | "configuration"
  | "address"
  | "tls"
  | "connection"
  | "timeout"
  | "authentication"
  | "token"
  | "rejected"
  | "attachment"
  /** The message was handed over completely and no answer came: it may have been delivered. */
  | "unknownOutcome";

export interface SmtpEmailErrorDetails {
  /** The node or connection field at fault, by its config key. */
  field?: string;
  /** The SMTP reply code, e.g. 535. */
  responseCode?: number;
  /** The SMTP command that failed, e.g. "AUTH PLAIN". */
  command?: string;
  /** The underlying library's code, e.g. nodemailer's "EAUTH", or Microsoft Graph's error code, e.g. "ErrorAccessDenied". */
  libraryCode?: string;
  /** Microsoft Graph: the HTTP status of its answer. */
  httpStatus?: number;
  /** Microsoft Graph: its `request-id` and `client-request-id`, what Microsoft support asks for. */
  requestId?: string;
  clientRequestId?: string;
}

/**
 * Every failure this extension reports. The message says what went wrong, the hint how to fix it.
 * Never put a secret or a raw library error into either: both end up in logs and stored results.
 */
export class SmtpEmailError extends Error {
  readonly code: SmtpEmailErrorCode;
  readonly hint: string;
  readonly details: SmtpEmailErrorDetails;

  constructor(code: SmtpEmailErrorCode, message: string, hint: string, details: SmtpEmailErrorDetails = {}) {
    super(message);
    this.name = "SmtpEmailError";
    this.code = code;
    this.hint = hint;
    this.details = details;
  }
}

/**
 * The message went out whole (every byte, the final dot, or the whole HTTP request) and then the answer never
 * came: the connection dropped or the time ran out. The server may have delivered it, so this is neither a
 * success nor a failure to retry; the node never resends it by itself.
 */
export function unknownOutcomeError(receiver: string, details: SmtpEmailErrorDetails = {}): SmtpEmailError {
  return new SmtpEmailError(
    "unknownOutcome",
    `The message was handed over to ${receiver} completely, but no answer came (the connection was lost or the time ran out): it may have been delivered.`,
    "Do not send it again blindly: look for its Message-ID in the recipient's mailbox or the server's log first. To send it again, set Message-ID (Advanced) to this Message-ID, so receivers and archives that drop a second copy can do so.",
    details,
  );
}

export function configurationError(field: string, message: string, hint: string): SmtpEmailError {
  return new SmtpEmailError("configuration", message, hint, { field });
}

/**
 * An SmtpEmailError, or one that travelled through nodemailer as the `cause` of a plain Error (nodemailer rewrites `code`).
 * The SMTP and token failure mappers both pass it on as it is.
 */
export function ownError(error: unknown): SmtpEmailError | undefined {
  if (error instanceof SmtpEmailError) return error;
  const cause = error instanceof Error ? error.cause : undefined;
  return cause instanceof SmtpEmailError ? cause : undefined;
}
