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
  | "attachment";

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
