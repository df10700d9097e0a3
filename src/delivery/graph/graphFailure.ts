/**
 * Microsoft Graph's answers and failed requests as SmtpEmailErrors that say the fix. The codes and
 * statuses are those Microsoft documents for sendMail (user-sendmail), for Graph errors in general
 * ("Microsoft Graph error responses and resource types") and for throttling.
 */
import type { Deadline } from "../../deadline/deadline";
import { CERTIFICATE_PROBLEMS } from "../../errors/certificateProblems";
import { quoteReply } from "../../errors/quoteReply";
import { SmtpEmailError, unknownOutcomeError, type SmtpEmailErrorCode, type SmtpEmailErrorDetails } from "../../errors/SmtpEmailError";
import { HttpRequestFailure } from "../../http/httpRequestFailure";
import type { GraphAnswer } from "./graphRequest";

/** A Graph answer other than success, thrown inside the send so the token step can see a 401. */
export class GraphAnswerError extends Error {
  constructor(readonly answer: GraphAnswer) {
    super(`Microsoft Graph answered HTTP ${answer.status}`);
    this.name = "GraphAnswerError";
  }
}

/** A token Graph did not accept: renewed once, as a rejected token is on SMTP. */
export function isGraphTokenRejection(error: unknown): boolean {
  return error instanceof GraphAnswerError && error.answer.status === 401;
}

export interface GraphFailureContext {
  /** The endpoint's host, e.g. graph.microsoft.com. */
  endpoint: string;
  /** The endpoint's origin, e.g. https://graph.microsoft.com: its `.default` is the scope a token needs. */
  origin: string;
  /** The mailbox sent from. */
  mailbox: string;
  /** Where the mailbox came from: Custom From, or the connection's user. */
  mailboxField: "from" | "clientCredentialsConnection";
  /** Every secret of the send (the token in use included): nothing Graph quotes may show one. */
  secrets: { redact(text: string): string };
  deadline: Deadline;
  step: string;
}

const CONNECTION_FIELD = "clientCredentialsConnection";

export function graphFailure(error: unknown, ctx: GraphFailureContext): SmtpEmailError {
  if (error instanceof SmtpEmailError) return error;
  if (error instanceof GraphAnswerError) return answerFailure(error.answer, ctx);
  // The request went out whole and no status line came back (dropped, reset, or the time ran out): Graph may have taken it.
  if (error instanceof HttpRequestFailure && error.requestSent && error.reason !== "too-large") {
    return unknownOutcomeError(`Microsoft Graph (${ctx.endpoint})`, error.systemCode ? { libraryCode: error.systemCode } : {});
  }
  if (ctx.deadline.expired || (error instanceof HttpRequestFailure && error.reason === "aborted")) {
    const base = ctx.deadline.timeoutError(ctx.step);
    return new SmtpEmailError("timeout", base.message, base.hint, { field: "timeoutSeconds" });
  }
  if (error instanceof HttpRequestFailure) return requestFailure(error, ctx);
  const cause = error instanceof Error ? error.cause : undefined;
  if (cause instanceof SmtpEmailError) return cause;
  return new SmtpEmailError("connection", `Sending through Microsoft Graph (${ctx.endpoint}) failed unexpectedly.`, "Try again; if it persists, check the node's settings.");
}

function requestFailure(failure: HttpRequestFailure, ctx: GraphFailureContext): SmtpEmailError {
  const code = failure.systemCode;
  const details: SmtpEmailErrorDetails = { field: "graphEndpoint", ...(code && { libraryCode: code }) };
  if (failure.reason === "too-large") {
    return new SmtpEmailError("connection", `${ctx.endpoint} answered with far more data than Microsoft Graph sends.`, "Check Graph Endpoint: it should be https://graph.microsoft.com or a national cloud's Graph endpoint.", details);
  }
  const certificate = code ? CERTIFICATE_PROBLEMS[code] : undefined;
  if (certificate) {
    return new SmtpEmailError("tls", `The TLS certificate of ${ctx.endpoint} ${certificate.what} (${code}), so nothing was sent.`, "Check Graph Endpoint: it must be Microsoft's public Graph endpoint, reached without a TLS-inspecting proxy.", details);
  }
  return new SmtpEmailError(
    "connection",
    `${ctx.endpoint} could not be reached${code ? ` (${code})` : ""}.`,
    "Check Graph Endpoint and that Cognigy can reach it over HTTPS (proxy, firewall).",
    details,
  );
}

function answerFailure(answer: GraphAnswer, ctx: GraphFailureContext): SmtpEmailError {
  const details: SmtpEmailErrorDetails = {
    httpStatus: answer.status,
    ...(answer.errorCode && { libraryCode: answer.errorCode }),
    ...(answer.requestId && { requestId: answer.requestId }),
    ...(answer.clientRequestId && { clientRequestId: answer.clientRequestId }),
  };
  const said = answer.errorCode ? `: ${answer.errorCode}${answer.errorMessage ? ` "${quoteReply(answer.errorMessage, ctx.secrets)}"` : ""}` : ".";
  const fail = (code: SmtpEmailErrorCode, what: string, hint: string, field?: string) =>
    new SmtpEmailError(code, `Microsoft Graph ${what} (HTTP ${answer.status})${said}`, hint, { ...details, ...(field && { field }) });
  const mailbox = `"${ctx.mailbox}"`;
  const code = answer.errorCode ?? "";

  switch (answer.status) {
    case 401:
      return fail(
        "authentication",
        "did not accept the access token",
        `The token must be issued for Microsoft Graph: leave scope empty in the OAuth2 Client Credentials connection or set it to ${ctx.origin}/.default (the SMTP scope https://outlook.office365.com/.default is for another audience), and take the token endpoint and Graph Endpoint from the same cloud.`,
        CONNECTION_FIELD,
      );
    case 403:
      return fail(
        "authentication",
        `refused to send as ${mailbox}`,
        `Give the app registration the Microsoft Graph application permission Mail.Send (Application, not Delegated) and grant admin consent. If the app is limited to certain mailboxes (RBAC for Applications, or an application access policy), add ${mailbox} to its scope.`,
        CONNECTION_FIELD,
      );
    case 404:
      if (code === "MailboxNotEnabledForRESTAPI") {
        return fail(
          "address",
          `cannot send from ${mailbox}: it has no Exchange Online mailbox`,
          "The mailbox must be in Exchange Online: give the user an Exchange Online licence (a shared mailbox needs none), wait until a new mailbox is provisioned, or send from a mailbox that is not on-premises.",
          ctx.mailboxField,
        );
      }
      return fail(
        "address",
        `knows no mailbox ${mailbox}`,
        "The mailbox sent from is Custom From, else the connection's user: use the user principal name or primary address of a user or shared mailbox in the tenant the token is for.",
        ctx.mailboxField,
      );
    case 413:
      return fail("rejected", "refused the message as too large", "Graph takes at most 4 MB per request (about 3 MB of message): send smaller attachments or links, or choose Delivery SMTP.");
    case 429:
      return fail(
        "rejected",
        `throttled sending from ${mailbox}${retryText(answer)}`,
        "Too many requests for this app or mailbox (Outlook allows 10,000 requests per 10 minutes and 4 at a time per mailbox). Nothing was sent: try again later, or spread sends over more time.",
      );
    case 400:
      if (code.startsWith("ErrorMimeContent")) {
        return fail("rejected", "could not read the message's MIME content", "Check Custom Headers and Pregenerated MIME Parts for content Exchange cannot parse; if the message looks right, report it to Microsoft with the request-id.");
      }
      return fail("rejected", "refused the message", "Graph's message gives the reason (an invalid recipient, for example); check the addresses and the message fields.");
  }
  if (answer.status >= 300 && answer.status < 400) {
    return fail("connection", "answered with a redirect, which the node does not follow", "Check Graph Endpoint: use https://graph.microsoft.com or a national cloud's Graph endpoint, not a proxy or login page.", "graphEndpoint");
  }
  if (answer.status >= 500) {
    return fail("connection", `is unavailable right now${retryText(answer)}`, "Microsoft Graph has a problem on its side; try again later. Its request-id identifies the request for Microsoft support.");
  }
  return fail("rejected", "refused the message", "Graph's answer gives the reason; check the node's settings.");
}

function retryText(answer: GraphAnswer): string {
  return answer.retryAfterMs === undefined ? "" : `; it asked to wait ${Math.ceil(answer.retryAfterMs / 1000)} s`;
}
