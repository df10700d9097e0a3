/**
 * A Microsoft Graph stand-in for the MIME send (node:http on 127.0.0.1, OS-chosen port):
 *
 *   POST {url}/v1.0/users/{mailbox}/sendMail   Content-Type: text/plain   body: Base64 of the MIME
 *
 *   const tokens = await startTokenEndpoint({ clients: { app: "s3cret" }, jwt: { roles: ["Mail.Send"] } });
 *   const graph = await startGraphStandIn({ isValidToken: tokens.isValidToken, mailboxes: { "sender@contoso.com": "licensed" } });
 *   // the node's Graph endpoint field gets graph.url; its default scope `${graph.url}/.default` yields aud === graph.url
 *   graph.accepted[0].deliveries; // one copy per To/Cc/Bcc recipient, Bcc header removed
 *
 * Microsoft cannot be reached from the test machines, so every behaviour below follows Microsoft's
 * documentation; where the documentation is silent or a response was only ever seen, not
 * documented, the line says so ("observed": quoted from responses Graph returned in issues filed
 * in Microsoft's own repositories; "assumption": the stand-in's choice).
 *
 * Documented behaviour -> source
 * - Only `POST /users/{id | userPrincipalName}/sendMail`; `Content-Type: text/plain` for MIME; the
 *   body is the MIME content as a base64-encoded string; success is `202 Accepted` with nothing in
 *   the body; malformed MIME is `400 Bad Request` `{ "error": { "code":
 *   "ErrorMimeContentInvalidBase64String", "message": "Invalid base64 string for MIME content." } }`.
 *   -> "user: sendMail", https://learn.microsoft.com/en-us/graph/api/user-sendmail (Response; Example 4).
 *   Example 4's body is wrapped at 76 characters, so line breaks inside the Base64 are accepted.
 * - MIME content that is "malformed, missing" (no header block, undecodable) is 400 with "MIME content
 *   does not contain all required information, malformed formatting, or empty."; MIME carries the
 *   sender/recipient information (To, CC and BCC). -> "Send Outlook messages in MIME format",
 *   https://learn.microsoft.com/en-us/graph/outlook-send-mime-message (Error conditions and messages).
 *   That page gives no code: ErrorMimeContentInvalid is the EWS ResponseCode for "the MIME content is
 *   invalid" (https://learn.microsoft.com/en-us/exchange/client-developer/web-service-reference/responsecode);
 *   that Graph surfaces it here is an assumption. A MIME without From is refused the same way:
 *   assumption (Exchange may well fill in the mailbox as sender; the node always writes From).
 * - Exchange parses the MIME into the recipients table, transport fans a copy out per recipient.
 *   -> "Send mail by using the Microsoft Graph API", https://learn.microsoft.com/en-us/graph/outlook-things-to-know-about-send-mail
 *   (steps 1 and 5). Recipients = the addresses of To, Cc and Bcc, each once (dedup is an assumption).
 *   Each delivered copy lacks the Bcc field: RFC 5322 section 3.6.3 (first method, "the Bcc: line is
 *   removed"); that Exchange uses that method is an assumption. `accepted[].mime` keeps the Bcc field,
 *   as handed over (the Sent Items copy).
 * - No recipient at all: 400 ErrorInvalidRecipients (EWS ResponseCode page: the recipient collection
 *   is empty); message observed: microsoftgraph/php-connect-sample#13, msgraph-sdk-dotnet#1891.
 * - Error body `{ "error": { "code", "message", "innerError": { "date", "request-id", ... } } }`;
 *   status meanings 400/401/403/404/405/413/415/429/503; codes itemNotFound, notAllowed, notSupported,
 *   serviceNotAvailable ("There may be a Retry-After header"). -> "Microsoft Graph error responses and
 *   resource types", https://learn.microsoft.com/en-us/graph/errors. innerError.client-request-id and
 *   its format "2022-03-17T16:05:41" for date: observed (microsoft-graph-docs#16208).
 * - Unknown path: 404 itemNotFound "The resource could not be found." (errors page). Assumption: real
 *   Graph often answers an unknown segment with 400 BadRequest instead.
 * - Throttling: 429 with Retry-After in seconds; sample body code "TooManyRequests", message "Please
 *   retry again later." -> "Microsoft Graph throttling guidance", https://learn.microsoft.com/en-us/graph/throttling.
 *   503 "may be specified in a Retry-After header" -> errors page. Both come only from failNext/failWith.
 * - Write requests are limited to 4 MB; larger ones fail with 413 "Request entity too large" -> "Use the
 *   Microsoft Graph API", https://learn.microsoft.com/en-us/graph/use-the-api; createMessage's note "S/MIME
 *   message payloads are currently limited to 4 MB ... HTTP 413 Request Entity Too Large" ->
 *   https://learn.microsoft.com/en-us/graph/api/user-post-messages. Neither page gives bytes or a code:
 *   4 MB = 4 * 1024 * 1024 bytes of HTTP body (the Base64 text), limit inclusive, and the code
 *   "RequestEntityTooLarge", are assumptions.
 * - Content-Type: "application/json" for JSON, "text/plain" for MIME (sendMail page). A JSON body that
 *   is Base64 cannot deserialize: 400 UnableToDeserializePostBody "were unable to deserialize " (observed,
 *   assumption). Any other type: 415 notSupported (errors page: 415 "content type ... isn't supported").
 * - Authorization "Bearer {token}" required (sendMail page). 401 means "authentication information is
 *   either missing or not valid" -> errors page and "Resolve Microsoft Graph authorization errors",
 *   https://learn.microsoft.com/en-us/graph/resolve-auth-errors. Code InvalidAuthenticationToken with
 *   "Access token is empty." / "Access token validation failure. Invalid audience." / "Lifetime
 *   validation failed, the token is expired.": observed (msgraph-sample-reactspa#54, microsoft-graph-docs#16208).
 *   WWW-Authenticate: the Bearer challenge of RFC 6750 section 3 (error="invalid_token" when a token was
 *   sent); Graph's own extra parameters (authorization_uri, client_id) are not modelled.
 *   CONFLICT: resolve-auth-errors says a wrong aud claim "results in a 403 Forbidden error"; the
 *   responses observed are 401 InvalidAuthenticationToken. The stand-in answers 401.
 * - Application permission Mail.Send is required (sendMail page, Permissions); a token without it is
 *   403 (resolve-auth-errors, "Have you chosen the right set of permissions?"); code ErrorAccessDenied
 *   "Access is denied. Check credentials and try again.": observed (microsoft-graph-docs#10880).
 *   Only JWT tokens are checked for aud and roles: an opaque token has no claims to read (assumption).
 * - An application access policy (or RBAC for Applications scope) that leaves the mailbox out: 403
 *   `{ "code": "ErrorAccessDenied", "message": "Access to OData is disabled." }` -> "Limiting application
 *   permissions to specific Exchange Online mailboxes", https://learn.microsoft.com/en-us/graph/auth-limit-mailbox-access
 *   (Handling API errors); RBAC for Applications replaces those policies ->
 *   https://learn.microsoft.com/en-us/exchange/permissions-exo/application-rbac.
 * - Unknown user: 404 ErrorInvalidUser "The requested user '<id>' is invalid.": observed
 *   (microsoftgraph/aspnet-snippets-sample#25). A user without an Exchange Online mailbox/licence:
 *   MailboxNotEnabledForRESTAPI -> Exchange troubleshooting article "REST API is not yet supported for
 *   this mailbox" (https://learn.microsoft.com/en-us/exchange/troubleshoot/user-and-shared-mailboxes/rest-api-is-not-yet-supported-for-this-mailbox-error);
 *   status 404 and message "The mailbox is either inactive, soft-deleted, or is hosted on-premise.":
 *   observed (older responses said "REST API is not yet supported for this mailbox.").
 * - Response headers request-id (service-made, unique) and client-request-id (the caller's value) ->
 *   Microsoft REST API Guidelines, https://github.com/microsoft/api-guidelines (standard request and
 *   response headers). The guidelines echo client-request-id only on return-client-request-id: true;
 *   Graph echoes it always, and without a caller value it repeats request-id: observed
 *   (microsoft-graph-docs#16208), followed here.
 *
 * Check order (assumption; Graph documents none): canned answer, size, path and method, token,
 * audience, roles, mailbox, access policy, Content-Type, Base64, MIME, recipients.
 *
 * The settings (isValidToken, mailboxes, allowedMailboxes, audience, failWith, delayMs, dropAfterBody)
 * are live: a test may change them on the handle between requests.
 */
import crypto from "node:crypto";
import http from "node:http";
import { closeHttpServer, listenOnLoopback } from "./listenOnLoopback";
import { PacedAnswers } from "./pacedAnswers";
import { parseMessage, type ParsedMessage } from "./parseMessage";
import { decodeJwtPayload } from "./tokenEndpoint";

/** The 4 MB write-request limit, read as MiB of HTTP body (see the header comment). */
export const SEND_MAIL_MAX_BODY_BYTES = 4 * 1024 * 1024;

/** Past this many body bytes the stand-in stops reading, answers 413 and closes the connection. */
const DISCARD_LIMIT_BYTES = 4 * SEND_MAIL_MAX_BODY_BYTES;

export type MailboxState = "licensed" | "unlicensed";

/**
 * Destroy the socket once the whole request body has arrived, without a status line.
 * "processed": the request is handled first, so a valid message is in `accepted` (sent, but the
 * client cannot know). "unprocessed": nothing is handled.
 */
export type DropAfterBody = "processed" | "unprocessed";

/** A canned answer. An object body of the form { error: {...} } gets its innerError filled in. */
export interface GraphCannedResponse {
  status: number;
  body?: object | string;
  headers?: Record<string, string>;
}

export interface GraphRequestRecord {
  method: string;
  /** The request target as sent, query included. */
  path: string;
  /** The percent-decoded {mailbox} of a sendMail path. */
  mailbox?: string;
  contentType?: string;
  /** client-request-id as the client sent it. */
  clientRequestId?: string;
  /** request-id of the response. */
  requestId: string;
  /** 0 when the socket was dropped. */
  status: number;
  /** error.code of an error answer. */
  errorCode?: string;
  bodyBytes: number;
  /** The first word of the Authorization header, e.g. "Bearer". */
  authorizationScheme?: string;
  dropped: boolean;
  /** Date.now() when the request arrived. */
  at: number;
}

export interface GraphDelivery {
  recipient: string;
  /** The copy this recipient gets: the accepted MIME without its Bcc field. */
  raw: Buffer;
}

export interface AcceptedMessage {
  /** The mailbox as written in the path. */
  mailbox: string;
  requestId: string;
  /** The decoded MIME as handed over, Bcc field included. */
  mime: Buffer;
  deliveries: GraphDelivery[];
  at: number;
}

export interface GraphStandInOptions {
  /** Wire to the token endpoint: startTokenEndpoint(...).isValidToken. */
  isValidToken: (token: string) => boolean;
  /** The tenant's users; a mailbox not listed is an unknown user. Matched case-insensitively. */
  mailboxes: Record<string, MailboxState>;
  /** When set, an application access policy: the app may send only as these mailboxes. */
  allowedMailboxes?: Iterable<string>;
  /** Expected aud of JWT tokens. Default: the stand-in's own origin (handle.url). */
  audience?: string;
  /** Answer every request with this. */
  failWith?: GraphCannedResponse;
  /** Delay before every answer. */
  delayMs?: number;
  dropAfterBody?: DropAfterBody;
}

export interface GraphStandIn {
  /** Origin, http://127.0.0.1:PORT: what the node's Graph endpoint field gets. */
  readonly url: string;
  readonly port: number;
  isValidToken: (token: string) => boolean;
  mailboxes: Record<string, MailboxState>;
  allowedMailboxes?: Set<string>;
  audience: string;
  failWith?: GraphCannedResponse;
  delayMs: number;
  dropAfterBody?: DropAfterBody;
  readonly requests: GraphRequestRecord[];
  readonly accepted: AcceptedMessage[];
  /** Answer the next `times` requests (default 1) with `response`, before `failWith`. */
  failNext(response: GraphCannedResponse, times?: number): void;
  /** Answers wait until every release function returned so far has been called. */
  hold(): () => void;
  /** postal-mime's parse of accepted[index].mime. */
  parsed(index: number): Promise<ParsedMessage>;
  /** Closes the server and every connection; held and delayed answers are dropped. */
  close(): Promise<void>;
}

/** Canned answers with the documented shapes, for failNext / failWith. */
export const graphErrors = {
  throttled: (retryAfterSeconds = 1): GraphCannedResponse => ({
    status: 429,
    headers: { "Retry-After": String(retryAfterSeconds) },
    body: { error: { code: "TooManyRequests", message: "Please retry again later." } },
  }),
  unavailable: (retryAfterSeconds?: number): GraphCannedResponse => ({
    status: 503,
    ...(retryAfterSeconds !== undefined ? { headers: { "Retry-After": String(retryAfterSeconds) } } : {}),
    body: { error: { code: "serviceNotAvailable", message: "The service is not available. Try the request again after a delay." } },
  }),
  redirect: (location: string, status = 307): GraphCannedResponse => ({ status, headers: { Location: location } }),
};

export async function startGraphStandIn(options: GraphStandInOptions): Promise<GraphStandIn> {
  const standIn = new GraphStandInServer(options);
  await standIn.listen();
  return standIn;
}

// ---------------------------------------------------------------------------------------------

const SEND_MAIL_PATH = /^\/v1\.0\/users\/([^/]+)\/sendMail$/i;
const REQUIRED_ROLE = "Mail.Send";
const MIME_INVALID_MESSAGE = "MIME content does not contain all required information, malformed formatting, or empty.";

interface Outcome {
  status: number;
  body?: object | string;
  headers?: Record<string, string>;
}

/** What one request carries through its handling. */
interface Exchange {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  requestId: string;
  /** The value the response echoes. */
  clientRequestId: string;
  record: GraphRequestRecord;
}

class GraphStandInServer implements GraphStandIn {
  isValidToken: (token: string) => boolean;
  mailboxes: Record<string, MailboxState>;
  allowedMailboxes?: Set<string>;
  failWith?: GraphCannedResponse;
  delayMs: number;
  dropAfterBody?: DropAfterBody;
  readonly requests: GraphRequestRecord[] = [];
  readonly accepted: AcceptedMessage[] = [];

  private audienceOverride?: string;
  private readonly queued: GraphCannedResponse[] = [];
  private readonly answers = new PacedAnswers();
  private readonly server: http.Server;
  private boundPort = 0;
  private closing?: Promise<void>;

  constructor(options: GraphStandInOptions) {
    this.isValidToken = options.isValidToken;
    this.mailboxes = { ...options.mailboxes };
    if (options.allowedMailboxes !== undefined) this.allowedMailboxes = new Set(options.allowedMailboxes);
    this.audienceOverride = options.audience;
    this.failWith = options.failWith;
    this.delayMs = options.delayMs ?? 0;
    this.dropAfterBody = options.dropAfterBody;
    this.server = http.createServer((req, res) => this.receive(req, res));
    // Idle keep-alive sockets must not hold the process open between tests.
    this.server.keepAliveTimeout = 1000;
  }

  get port(): number {
    return this.boundPort;
  }

  get url(): string {
    return `http://127.0.0.1:${this.boundPort}`;
  }

  get audience(): string {
    return this.audienceOverride ?? this.url;
  }

  set audience(value: string) {
    this.audienceOverride = value;
  }

  failNext(response: GraphCannedResponse, times = 1): void {
    for (let i = 0; i < times; i++) this.queued.push(response);
  }

  hold(): () => void {
    return this.answers.hold();
  }

  parsed(index: number): Promise<ParsedMessage> {
    const message = this.accepted[index];
    if (message === undefined) return Promise.reject(new Error(`graph stand-in: no accepted message #${index}`));
    return parseMessage(message.mime);
  }

  async listen(): Promise<void> {
    this.boundPort = await listenOnLoopback(this.server, "graph stand-in");
  }

  close(): Promise<void> {
    if (!this.closing) {
      this.answers.clear();
      this.closing = closeHttpServer(this.server);
    }
    return this.closing;
  }

  // --- request handling ---------------------------------------------------------------------

  private receive(req: http.IncomingMessage, res: http.ServerResponse): void {
    const requestId = crypto.randomUUID();
    const sentClientRequestId = header(req, "client-request-id");
    const authorization = header(req, "authorization");
    const contentType = header(req, "content-type");
    const record: GraphRequestRecord = {
      method: req.method ?? "",
      path: req.url ?? "",
      requestId,
      status: 0,
      bodyBytes: 0,
      dropped: false,
      at: Date.now(),
      ...(contentType !== undefined ? { contentType } : {}),
      ...(sentClientRequestId !== undefined ? { clientRequestId: sentClientRequestId } : {}),
      ...(authorization !== undefined ? { authorizationScheme: authorization.trim().split(/\s+/)[0] } : {}),
    };
    const exchange: Exchange = { req, res, requestId, clientRequestId: sentClientRequestId ?? requestId, record };

    // Keep at most the limit plus one chunk; count the rest and discard it, so a client that sends
    // too much still gets its 413 instead of a reset in the middle of its upload.
    const chunks: Buffer[] = [];
    let cutOff = false;
    req.on("data", (chunk: Buffer) => {
      if (cutOff) return;
      record.bodyBytes += chunk.length;
      if (record.bodyBytes <= SEND_MAIL_MAX_BODY_BYTES) chunks.push(chunk);
      if (record.bodyBytes > DISCARD_LIMIT_BYTES) {
        cutOff = true;
        this.finish(exchange, this.error(exchange, 413, "RequestEntityTooLarge", "Request entity too large"), { close: true });
      }
    });
    req.on("error", () => res.destroy());
    req.on("end", () => {
      if (cutOff) return;
      void this.answer(exchange, Buffer.concat(chunks)).catch(() => {
        this.finish(exchange, this.error(exchange, 500, "generalException", "An unspecified error has occurred."));
      });
    });
  }

  /** The whole body is in: drop, or decide and answer. */
  private async answer(exchange: Exchange, body: Buffer): Promise<void> {
    const drop = this.dropAfterBody;
    if (drop === "unprocessed") return this.drop(exchange);
    const outcome = await this.decide(exchange, body);
    if (drop === "processed") return this.drop(exchange, outcome);
    this.finish(exchange, outcome);
  }

  private async decide(exchange: Exchange, body: Buffer): Promise<Outcome> {
    const { req, record } = exchange;
    const canned = this.queued.shift() ?? this.failWith;
    if (canned) return { status: canned.status, ...withInnerError(canned, exchange) };

    if (record.bodyBytes > SEND_MAIL_MAX_BODY_BYTES) {
      return this.error(exchange, 413, "RequestEntityTooLarge", "Request entity too large");
    }

    const target = new URL(req.url ?? "/", "http://127.0.0.1");
    const match = SEND_MAIL_PATH.exec(target.pathname);
    const mailbox = match ? percentDecode(match[1]) : undefined;
    if (mailbox === undefined) return this.error(exchange, 404, "itemNotFound", "The resource could not be found.");
    record.mailbox = mailbox;
    if (req.method !== "POST") {
      return this.error(exchange, 405, "notAllowed", "The HTTP method in the request isn't allowed on the resource.", { Allow: "POST" });
    }

    const denied = this.checkToken(exchange);
    if (denied) return denied;

    const user = findIgnoringCase(Object.keys(this.mailboxes), mailbox);
    const state = user === undefined ? undefined : this.mailboxes[user];
    if (state === undefined) return this.error(exchange, 404, "ErrorInvalidUser", `The requested user '${mailbox}' is invalid.`);
    if (state === "unlicensed") {
      return this.error(exchange, 404, "MailboxNotEnabledForRESTAPI", "The mailbox is either inactive, soft-deleted, or is hosted on-premise.");
    }
    if (this.allowedMailboxes !== undefined && findIgnoringCase(this.allowedMailboxes, mailbox) === undefined) {
      return this.error(exchange, 403, "ErrorAccessDenied", "Access to OData is disabled.");
    }

    const mediaType = (record.contentType ?? "").split(";")[0].trim().toLowerCase();
    if (mediaType === "application/json") return this.error(exchange, 400, "UnableToDeserializePostBody", "were unable to deserialize ");
    if (mediaType !== "text/plain") {
      return this.error(exchange, 415, "notSupported", "The content type of the request is a format that isn't supported by the service.");
    }

    const mime = decodeBase64Strict(body);
    if (mime === undefined) return this.error(exchange, 400, "ErrorMimeContentInvalidBase64String", "Invalid base64 string for MIME content.");
    if (!startsWithHeaderField(mime)) return this.error(exchange, 400, "ErrorMimeContentInvalid", MIME_INVALID_MESSAGE);
    let parsed: ParsedMessage;
    try {
      parsed = await parseMessage(mime);
    } catch {
      return this.error(exchange, 400, "ErrorMimeContentInvalid", MIME_INVALID_MESSAGE);
    }
    if (addressesOf(parsed, ["from"]).length === 0) return this.error(exchange, 400, "ErrorMimeContentInvalid", MIME_INVALID_MESSAGE);
    const recipients = addressesOf(parsed, ["to", "cc", "bcc"]);
    if (recipients.length === 0) {
      return this.error(exchange, 400, "ErrorInvalidRecipients", "At least one recipient isn't valid., A message can't be sent because it contains no recipients.");
    }

    const delivered = withoutBcc(mime);
    this.accepted.push({
      mailbox,
      requestId: exchange.requestId,
      mime,
      deliveries: recipients.map((recipient) => ({ recipient, raw: Buffer.from(delivered) })),
      at: Date.now(),
    });
    return { status: 202 };
  }

  /** 401/403 for the Authorization header, or undefined when the token may send as any mailbox. */
  private checkToken(exchange: Exchange): Outcome | undefined {
    const bearer = /^Bearer(?:\s+(\S*))?\s*$/i.exec(header(exchange.req, "authorization") ?? "");
    const token = bearer?.[1] ?? "";
    if (token === "") return this.unauthenticated(exchange, "Access token is empty.", false);
    const claims = decodeJwtPayload(token);
    if (!this.isValidToken(token)) {
      const expired = typeof claims?.exp === "number" && claims.exp * 1000 <= Date.now();
      return this.unauthenticated(exchange, expired ? "Lifetime validation failed, the token is expired." : "Access token validation failure.", true);
    }
    if (claims === undefined) return undefined;
    if (claims.aud !== this.audience) return this.unauthenticated(exchange, "Access token validation failure. Invalid audience.", true);
    const roles = Array.isArray(claims.roles) ? claims.roles : [];
    if (!roles.includes(REQUIRED_ROLE)) return this.error(exchange, 403, "ErrorAccessDenied", "Access is denied. Check credentials and try again.");
    return undefined;
  }

  private unauthenticated(exchange: Exchange, message: string, tokenSent: boolean): Outcome {
    // RFC 6750 section 3: no error attribute when the request carried no token.
    const challenge = tokenSent ? 'Bearer realm="", error="invalid_token"' : 'Bearer realm=""';
    return this.error(exchange, 401, "InvalidAuthenticationToken", message, { "WWW-Authenticate": challenge });
  }

  private error(exchange: Exchange, status: number, code: string, message: string, headers?: Record<string, string>): Outcome {
    return {
      status,
      body: { error: { code, message, innerError: innerError(exchange) } },
      ...(headers ? { headers } : {}),
    };
  }

  private drop(exchange: Exchange, outcome?: Outcome): void {
    exchange.record.dropped = true;
    const code = errorCodeOf(outcome?.body);
    if (code !== undefined) exchange.record.errorCode = code;
    this.requests.push(exchange.record);
    exchange.res.destroy();
  }

  /** Records the outcome, then sends it after delayMs and once no hold is active. */
  private finish(exchange: Exchange, outcome: Outcome, options: { close?: boolean } = {}): void {
    const { record, res } = exchange;
    record.status = outcome.status;
    const code = errorCodeOf(outcome.body);
    if (code !== undefined) record.errorCode = code;
    this.requests.push(record);

    const send = () => {
      if (res.destroyed || res.headersSent) return;
      const payload = outcome.body === undefined ? "" : typeof outcome.body === "string" ? outcome.body : JSON.stringify(outcome.body);
      res.writeHead(outcome.status, {
        "request-id": exchange.requestId,
        "client-request-id": exchange.clientRequestId,
        ...(outcome.body !== undefined ? { "Content-Type": typeof outcome.body === "string" ? "text/plain" : "application/json" } : {}),
        "Content-Length": Buffer.byteLength(payload),
        ...(options.close ? { Connection: "close" } : {}),
        ...outcome.headers,
      });
      res.end(payload);
      if (options.close) res.once("finish", () => exchange.req.destroy());
    };
    this.answers.answer(this.delayMs, send);
  }
}

function header(req: http.IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** { date, request-id, client-request-id } as Graph's innerError carries them. */
function innerError(exchange: Exchange): Record<string, string> {
  return {
    date: new Date().toISOString().slice(0, 19),
    "request-id": exchange.requestId,
    "client-request-id": exchange.clientRequestId,
  };
}

/** A canned answer's body, with innerError added to a Graph error object that lacks one. */
function withInnerError(canned: GraphCannedResponse, exchange: Exchange): Omit<Outcome, "status"> {
  const { body, headers } = canned;
  const filled =
    isRecord(body) && isRecord(body.error) && body.error.innerError === undefined
      ? { ...body, error: { ...body.error, innerError: innerError(exchange) } }
      : body;
  return { ...(filled !== undefined ? { body: filled } : {}), ...(headers ? { headers } : {}) };
}

function errorCodeOf(body: Outcome["body"]): string | undefined {
  if (!isRecord(body) || !isRecord(body.error)) return undefined;
  return typeof body.error.code === "string" ? body.error.code : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function percentDecode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/** The entry equal to `key` ignoring case (UPNs and SMTP addresses compare that way), or undefined. */
function findIgnoringCase(entries: Iterable<string>, key: string): string | undefined {
  const wanted = key.toLowerCase();
  for (const entry of entries) if (entry.toLowerCase() === wanted) return entry;
  return undefined;
}

/**
 * Base64 as .NET's Convert.FromBase64String reads it (Exchange is .NET): whitespace ignored, the
 * standard alphabet only, padding only at the end, a multiple of four characters. base64url and
 * stray characters are refused: undefined.
 */
function decodeBase64Strict(body: Buffer): Buffer | undefined {
  const compact = body.toString("latin1").replace(/[\t\n\r ]/g, "");
  if (compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) return undefined;
  return Buffer.from(compact, "base64");
}

/** RFC 5322 section 2.2: a message starts with a header field, "name:" of printable ASCII but ":". */
function startsWithHeaderField(mime: Buffer): boolean {
  return /^[\x21-\x39\x3b-\x7e]+:/.test(mime.subarray(0, 1000).toString("latin1"));
}

/** The addresses of these fields, groups flattened, each once (case-insensitive), in order. */
function addressesOf(parsed: ParsedMessage, fields: Array<"from" | "to" | "cc" | "bcc">): string[] {
  const seen = new Set<string>();
  const result: string[] = [];
  for (const address of fields.flatMap((field) => parsed.addresses(field))) {
    const key = address.toLowerCase();
    if (address === "" || seen.has(key)) continue;
    seen.add(key);
    result.push(address);
  }
  return result;
}

/**
 * The message without its Bcc field (folded continuation lines included). Only the header section
 * is touched; bytes are carried through latin1 so nothing else changes.
 */
function withoutBcc(mime: Buffer): Buffer {
  const text = mime.toString("latin1");
  const blank = /\r?\n\r?\n/.exec(text);
  // The header section ends after the line break that precedes the empty line.
  const headerEnd = blank ? blank.index + (text[blank.index] === "\r" ? 2 : 1) : text.length;
  const kept: string[] = [];
  let inBcc = false;
  for (const line of text.slice(0, headerEnd).split(/(?<=\n)/)) {
    if (!/^[ \t]/.test(line)) inBcc = /^bcc[ \t]*:/i.test(line);
    if (!inBcc) kept.push(line);
  }
  return Buffer.from(kept.join("") + text.slice(headerEnd), "latin1");
}
