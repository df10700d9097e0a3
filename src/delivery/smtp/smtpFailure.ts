/**
 * Where raw SMTP failures (nodemailer's errors, Node's socket and TLS errors) become SmtpEmailErrors;
 * the token endpoint's answers become them in oauth2/tokenFailure.ts. Messages say what happened in
 * plain words and quote the server's own reply, which is usually the most precise diagnosis; they
 * never contain a raw library message, a password, a client secret or a token.
 */
import type { AuthConfig } from "../../config/transportConfig";
import { smtpAuthReplyHint } from "./providerHints";
import { CERTIFICATE_PROBLEMS, UNTRUSTED } from "../../errors/certificateProblems";
import { quoteReply } from "../../errors/quoteReply";
import { ownError, SmtpEmailError, unknownOutcomeError, type SmtpEmailErrorDetails } from "../../errors/SmtpEmailError";
import type { Deadline } from "../../deadline/deadline";
import { maskBase64Runs } from "../../result/maskBase64Runs";
import type { SecretSet } from "../../result/redactSecrets";
import type { TlsMode } from "./serverEndpoint";

/** What is known about the attempt that failed, to make the message specific. */
export interface SmtpFailureContext {
  /** "host:port". */
  server: string;
  host: string;
  tlsMode: TlsMode;
  /** True when Connection Security "auto" made TLS mandatory because a credential is configured. */
  tlsRequiredForLogin?: boolean;
  authMethod: AuthConfig["method"];
  /** The login name, if any; not secret, and it tells which of several mailboxes failed. */
  user?: string;
  /** Values that must never appear in a message, in any form: passwords, client secrets, tokens. */
  secrets: SecretSet;
  deadline: Deadline;
  /** What was going on, for the timeout message, e.g. "sending via smtp.example.com:587". */
  step: string;
  /** The message went out whole (see Handover): a failure without the server's answer leaves the outcome unknown. */
  handedOver?: boolean;
}

/** The code nodemailer's XOAUTH2 login carries when our token provider reported the server's rejection (see smtpAuth.ts). */
export const TOKEN_REJECTED = "TOKEN_REJECTED";

export function smtpFailure(error: unknown, ctx: SmtpFailureContext): SmtpEmailError {
  const own = ownError(error);
  if (ctx.handedOver && answerless(own, error)) return unknownOutcomeError(ctx.server, own ? {} : detailsOf(readRaw(error)));
  if (own) return own;
  const raw = readRaw(error);
  const details = detailsOf(raw);
  const reply = raw.response ? quoteReply(raw.response, ctx.secrets) : undefined;
  const systemCode = raw.originalCode ?? raw.code;

  if (ctx.deadline.expired || raw.code === "EABORT" || raw.code === "ETIMEDOUT") return timeoutFailure(ctx, raw, details);
  if (systemCode && CERTIFICATE_PROBLEMS[systemCode]) return certificateFailure(systemCode, ctx, details);
  if (isTlsProtocolMismatch(raw)) return tlsMismatchFailure(ctx, details);

  switch (raw.code) {
    case "ETLS":
    case "EREQUIRETLS":
      return starttlsFailure(raw, reply, ctx, details);
    case "EAUTH":
    case "ENOAUTH":
      return authFailure(raw, reply, ctx, details);
    case "EENVELOPE":
      return envelopeFailure(raw, reply, ctx, details);
    case "EMESSAGE":
      return messageFailure(raw, reply, ctx, details);
    case "ECONFIG":
      return new SmtpEmailError("configuration", `nodemailer refused the settings for ${ctx.server}.`, "Check the node's server and connection settings.", details);
    case "ESTREAM":
    case "EFILEACCESS":
    case "EURLACCESS":
    case "EFETCH":
      return new SmtpEmailError("attachment", "An attachment could not be read while the message was sent.", "Check the attachment settings; content must be given inline, not as a file path or URL.", details);
    default:
      return connectionFailure(raw, reply, ctx, details);
  }
}

/** The shared deadline ran out; the message names the step, as the other timeout errors do. */
export function timeoutError(deadline: Deadline, step: string, details: SmtpEmailErrorDetails = {}, extraHint?: string): SmtpEmailError {
  const base = deadline.timeoutError(step);
  return new SmtpEmailError("timeout", base.message, extraHint ? `${extraHint} ${base.hint}` : base.hint, details);
}

function timeoutFailure(ctx: SmtpFailureContext, raw: RawFailure, details: SmtpEmailErrorDetails): SmtpEmailError {
  switch (raw.timeoutType) {
    case "CONNECT_TIMEOUT":
      return timeoutError(ctx.deadline, `connecting to ${ctx.server}`, details, "No TCP connection could be opened: a firewall may drop the traffic.");
    case "GREETING_TIMEOUT":
      return timeoutError(
        ctx.deadline,
        `waiting for the greeting of ${ctx.server}`,
        details,
        ctx.tlsMode === "tls" ? undefined : "The server accepted the connection but never greeted: if the port expects TLS from the first byte (usually 465), set Connection Security to TLS.",
      );
    case "UPGRADE_TIMEOUT":
      return timeoutError(ctx.deadline, `negotiating TLS with ${ctx.server}`, details);
    default:
      return timeoutError(ctx.deadline, ctx.step, details);
  }
}

function certificateFailure(code: string, ctx: SmtpFailureContext, details: SmtpEmailErrorDetails): SmtpEmailError {
  const problem = CERTIFICATE_PROBLEMS[code] ?? UNTRUSTED;
  return new SmtpEmailError("tls", `The TLS certificate of ${ctx.server} ${problem.what} (${code}), so the connection was refused.`, problem.hint, {
    ...details,
    field: "caCertificate",
  });
}

const TLS_MISMATCH_CODES = new Set(["ERR_SSL_WRONG_VERSION_NUMBER", "ERR_SSL_PACKET_LENGTH_TOO_LONG", "ERR_SSL_HTTP_REQUEST", "ERR_SSL_UNKNOWN_PROTOCOL"]);

function isTlsProtocolMismatch(raw: RawFailure): boolean {
  const code = raw.originalCode ?? raw.code;
  return (code !== undefined && TLS_MISMATCH_CODES.has(code)) || /wrong version number|packet length too long|unknown protocol/i.test(raw.message);
}

function tlsMismatchFailure(ctx: SmtpFailureContext, details: SmtpEmailErrorDetails): SmtpEmailError {
  return ctx.tlsMode === "tls"
    ? new SmtpEmailError(
        "tls",
        `TLS could not be started on ${ctx.server}: the server does not speak TLS from the first byte on that port.`,
        "Ports 587 and 25 start in plain text and upgrade with STARTTLS: set Connection Security to STARTTLS (or Automatic), or use port 465 for TLS.",
        { ...details, field: "security" },
      )
    : new SmtpEmailError("tls", `The TLS negotiation with ${ctx.server} failed: the server answered something that is not TLS.`, "Check Connection Security and SMTP Port.", {
        ...details,
        field: "security",
      });
}

function starttlsFailure(raw: RawFailure, reply: string | undefined, ctx: SmtpFailureContext, details: SmtpEmailErrorDetails): SmtpEmailError {
  const hint =
    "Connection Security STARTTLS needs a server that offers it. If the port expects TLS from the first byte (usually 465), choose TLS; choose None only for a trusted internal relay.";
  if (raw.code === "EREQUIRETLS") {
    return new SmtpEmailError("tls", `${ctx.server} cannot guarantee TLS for the whole delivery (REQUIRETLS).`, "Send without REQUIRETLS, or through a server that supports it.", details);
  }
  if (ctx.tlsRequiredForLogin && raw.command === "STARTTLS") {
    return new SmtpEmailError(
      "tls",
      `${ctx.server} did not start TLS${reply ? ` (it answered "${reply}")` : ""}, and with a login configured Connection Security Automatic requires it. Nothing was sent, no login was tried, so the credentials did not go out in clear text.`,
      "A server on this port should offer STARTTLS; if it does and this still happens, something on the network path removes it. Use TLS on port 465 or STARTTLS on port 587. Set Connection Security to None only for a trusted internal relay where a clear-text login is acceptable.",
      { ...details, field: "security" },
    );
  }
  if (raw.command === "STARTTLS" && reply) {
    return new SmtpEmailError("tls", `${ctx.server} does not support STARTTLS, which Connection Security requires (it answered "${reply}"). Nothing was sent, no login was tried.`, hint, {
      ...details,
      field: "security",
    });
  }
  return new SmtpEmailError("tls", `The TLS upgrade with ${ctx.server} failed${reply ? ` (the server answered "${reply}")` : ""}. Nothing was sent.`, hint, { ...details, field: "security" });
}

const AUTH_FIELD: Record<AuthConfig["method"], string | undefined> = {
  none: "authMethod",
  basic: "basicConnection",
  oauth2: "oauth2Connection",
  oauth2ClientCredentials: "clientCredentialsConnection",
};

function authFailure(raw: RawFailure, quoted: string | undefined, ctx: SmtpFailureContext, details: SmtpEmailErrorDetails): SmtpEmailError {
  const field = AUTH_FIELD[ctx.authMethod];
  // A server that quotes the rejected command back quotes the credentials: no long Base64 run is shown.
  const reply = quoted === undefined ? undefined : maskBase64Runs(quoted);
  if (raw.responseCode === 530 || raw.responseCode === 538 || (reply !== undefined && /STARTTLS/i.test(reply))) {
    return new SmtpEmailError("tls", `${ctx.server} refuses to log in over an unencrypted connection${reply ? ` ("${reply}")` : ""}.`, "Set Connection Security to STARTTLS (port 587) or TLS (port 465).", {
      ...details,
      field: "security",
    });
  }
  const who = ctx.user ? ` for "${ctx.user}"` : "";
  const answered = reply ? `: "${reply}"` : ".";
  const knownHint = smtpAuthReplyHint(quoted);
  if (ctx.authMethod === "oauth2" || ctx.authMethod === "oauth2ClientCredentials") {
    const what = raw.originalCode === TOKEN_REJECTED ? "rejected the access token" : "rejected the OAuth2 login";
    return new SmtpEmailError(
      "authentication",
      `${ctx.server} ${what}${who}${answered}`,
      knownHint ??
        "The token was issued but the mail server does not accept it. Check that user is the mailbox the token is for and that the app may send mail: Microsoft 365 needs the SMTP.SendAsApp permission with admin consent, a service principal with access to the mailbox, and SMTP AUTH enabled for it; Google needs the https://mail.google.com/ scope.",
      { ...details, ...(field && { field }) },
    );
  }
  return new SmtpEmailError(
    "authentication",
    `${ctx.server} rejected the login${who}${answered}`,
    knownHint ??
      "Check username and password in the Basic Auth connection. Gmail, Outlook.com, Yahoo and other accounts with 2-step verification need an app password; Microsoft 365 answers 5.7.139 when SMTP AUTH is disabled for the tenant or mailbox.",
    { ...details, ...(field && { field }) },
  );
}

function envelopeFailure(raw: RawFailure, reply: string | undefined, ctx: SmtpFailureContext, details: SmtpEmailErrorDetails): SmtpEmailError {
  if (raw.responseCode === undefined) {
    // nodemailer's own envelope checks: the text names the address, nothing secret.
    return new SmtpEmailError("address", `The message has no usable sender or recipient: ${quoteReply(raw.message, ctx.secrets)}.`, "Check the To, CC, BCC and From addresses.", details);
  }
  if (raw.responseCode === 530 || (reply !== undefined && /\b5\.7\.0\b.*auth|authentication required/i.test(reply))) {
    return new SmtpEmailError("authentication", `${ctx.server} requires a login before it accepts mail: "${reply}".`, "Choose an Authentication Method and a connection with the mailbox's credentials.", {
      ...details,
      field: "authMethod",
    });
  }
  if (raw.command === "MAIL FROM") {
    return new SmtpEmailError(
      "rejected",
      `${ctx.server} refused the sender address: "${reply}".`,
      "The From address must be the mailbox you log in with, or one it may send as (Microsoft 365: Send As permission; Gmail: a verified alias).",
      { ...details, field: "from" },
    );
  }
  return new SmtpEmailError(
    "rejected",
    `${ctx.server} refused ${raw.command === "RCPT TO" || raw.rejected ? "every recipient" : "the envelope"}: "${reply}".`,
    "Check the recipient addresses. A server also refuses recipients in other domains when the login may not relay to them.",
    { ...details, field: "to" },
  );
}

function messageFailure(raw: RawFailure, reply: string | undefined, ctx: SmtpFailureContext, details: SmtpEmailErrorDetails): SmtpEmailError {
  if (raw.responseCode === 552 || /size larger than allowed/i.test(raw.message)) {
    return new SmtpEmailError("rejected", `The message is larger than ${ctx.server} accepts${reply ? `: "${reply}"` : "."}`, "Send fewer or smaller attachments, or links to the files instead.", details);
  }
  return new SmtpEmailError(
    "rejected",
    `${ctx.server} refused the message${reply ? `: "${reply}"` : "."}`,
    "The server's reply gives the reason (e.g. spam or content policy). A 5xx reply is final; a 4xx reply means try again later.",
    details,
  );
}

function connectionFailure(raw: RawFailure, reply: string | undefined, ctx: SmtpFailureContext, details: SmtpEmailErrorDetails): SmtpEmailError {
  const fail = (message: string, hint: string, field = "host") => new SmtpEmailError("connection", message, hint, { ...details, field });
  switch (raw.originalCode) {
    case "ECONNREFUSED":
      return fail(`${ctx.server} refused the connection.`, "Check SMTP Host and SMTP Port: nothing listens there, or a firewall rejects connections from Cognigy.");
    case "ENOTFOUND":
    case "EAI_AGAIN":
    case "EAI_FAIL":
    case "EAI_NONAME":
      return fail(`The host name ${ctx.host} could not be resolved.`, "Check the spelling of SMTP Host.");
    case "ECONNRESET":
    case "EPIPE":
      return fail(
        `${ctx.server} closed the connection abruptly.`,
        "The server or a firewall cut the connection. If it happens right away, check that Connection Security fits the port (TLS for 465, STARTTLS for 587).",
      );
    case "EHOSTUNREACH":
    case "ENETUNREACH":
    case "EADDRNOTAVAIL":
      return fail(`${ctx.server} is not reachable from here.`, "Check SMTP Host; the server may only be reachable from inside your network.");
  }
  if (raw.code === "EDNS") return fail(`The host name ${ctx.host} could not be resolved.`, "Check the spelling of SMTP Host.");
  if (raw.code === "EPROTOCOL") {
    return fail(
      `${ctx.server} did not answer like an SMTP server${reply ? `: "${reply}"` : "."}`,
      "Check SMTP Port: it may belong to another service. If the port expects TLS from the first byte (usually 465), set Connection Security to TLS.",
      "port",
    );
  }
  if (reply) return fail(`${ctx.server} ended the session: "${reply}".`, "The server is busy or refuses this client for now; try again later.");
  if (raw.code === "ECONNECTION" || raw.code === "ESOCKET") {
    return fail(`The connection to ${ctx.server} was closed unexpectedly.`, "Check SMTP Port and Connection Security; the server may also limit connections from one client.");
  }
  return fail(`Talking to ${ctx.server} failed unexpectedly${raw.code ? ` (${raw.code})` : ""}.`, "Try again; if it persists, check the node's settings and the server's logs.");
}

/** No reply from the server came with the failure: a lost connection, a reset, the time running out. */
function answerless(own: SmtpEmailError | undefined, error: unknown): boolean {
  if (own) return own.details.responseCode === undefined && (own.code === "timeout" || own.code === "connection");
  return readRaw(error).responseCode === undefined;
}

// --- reading raw errors ---------------------------------------------------------------------------

interface RawFailure {
  code?: string;
  originalCode?: string;
  responseCode?: number;
  command?: string;
  response?: string;
  timeoutType?: string;
  rejected?: boolean;
  message: string;
}

function readRaw(error: unknown): RawFailure {
  if (typeof error !== "object" || error === null) return { message: String(error) };
  const record = error as Record<string, unknown>;
  const text = (key: string) => (typeof record[key] === "string" ? (record[key] as string) : undefined);
  const rejected = record.rejected;
  return {
    code: text("code"),
    originalCode: text("originalCode"),
    responseCode: typeof record.responseCode === "number" ? record.responseCode : undefined,
    command: text("command"),
    response: text("response"),
    timeoutType: text("timeoutType"),
    rejected: Array.isArray(rejected) && rejected.length > 0,
    message: text("message") ?? "",
  };
}

function detailsOf(raw: RawFailure): SmtpEmailErrorDetails {
  return {
    ...(raw.code !== undefined && { libraryCode: raw.code }),
    ...(raw.responseCode !== undefined && { responseCode: raw.responseCode }),
    ...(raw.command !== undefined && { command: raw.command }),
  };
}
