/**
 * A real SMTP server for the tests (smtp-server on 127.0.0.1, OS-chosen port).
 *
 *   const server = await startSmtpTestServer({ security: "starttls", auth: { users: { alice: "pw" } } });
 *   // ... send with nodemailer to server.host:server.port, tls: { ca: testCa } ...
 *   const [message] = await server.waitForMessages(1);
 *   await server.close();
 *
 * Replies from the hooks and from `authFailureReply` are sent verbatim: the server does not
 * add enhanced status codes of its own (smtp-server hides ENHANCEDSTATUSCODES by default), so
 * put the "5.1.1"-style code into the message text when a test needs one.
 */
import net from "node:net";
import { Gate } from "./gate";
import util from "node:util";
import { SMTPServer } from "smtp-server";
import type {
  SMTPServerAddress,
  SMTPServerAuthentication,
  SMTPServerAuthenticationResponse,
  SMTPServerDataStream,
  SMTPServerError,
  SMTPServerOptions,
  SMTPServerSession,
} from "smtp-server";
import { trustedServerCert, untrustedServerCert } from "./tlsFixtures";

export const TEST_HOST = "127.0.0.1" as const;

/**
 * "tls": implicit TLS from the first byte (port-465 style).
 * "starttls": plain socket that offers STARTTLS and requires it before AUTH (port-587 style).
 * "none": no TLS at all (STARTTLS disabled), AUTH allowed in clear text.
 */
export type SmtpSecurity = "tls" | "starttls" | "none";

export type SmtpAuthMethod = "PLAIN" | "LOGIN" | "XOAUTH2";

/** An SMTP reply a hook or `authFailureReply` makes the server send, e.g. `{ code: 550, message: "5.1.1 No such user" }`. */
export interface SmtpReply {
  code: number;
  message: string;
}

/** What a hook returns: nothing to accept, a reply to reject. */
export type SmtpHookResult = SmtpReply | undefined | void;

/** Facts about the SMTP session a hook or a record refers to. */
export interface SmtpSessionInfo {
  /** smtp-server's random session id (one per TCP connection). */
  id: string;
  /** Authenticated username, if the session authenticated. */
  user?: string;
  /** Whether the session runs over TLS (implicit or after STARTTLS). */
  secure: boolean;
  /** Ordinal number of the mail transaction within the connection (1 for the first). */
  transaction: number;
  remotePort: number;
}

export interface EnvelopeHookContext {
  session: SmtpSessionInfo;
  /** MAIL FROM / RCPT TO parameters, upper-case keys (e.g. SIZE, SMTPUTF8, BODY). */
  args: Record<string, string | true>;
  /** For RCPT TO: the sender of the current transaction. */
  mailFrom?: string;
}

export interface DataHookContext {
  session: SmtpSessionInfo;
  /** 1-based count of DATA bodies this server has received, including this one and rejected ones. */
  dataIndex: number;
}

export interface ReceivedEnvelope {
  /** MAIL FROM address ("" for the null sender). */
  mailFrom: string;
  rcptTo: string[];
  /** The client asked for SMTPUTF8 in MAIL FROM. */
  smtpUtf8: boolean;
  /** BODY= parameter of MAIL FROM, e.g. "8bitmime", if any. */
  bodyType?: string;
}

export interface ReceivedMessage {
  envelope: ReceivedEnvelope;
  /** The message exactly as received after DATA (dot-unstuffed, CRLF line ends). */
  raw: Buffer;
  /** Authenticated username of the session that sent it. */
  user?: string;
  /** Whether it arrived over TLS. */
  secure: boolean;
  sessionId: string;
  receivedAt: number;
}

export interface AuthAttempt {
  method: string;
  username: string;
  success: boolean;
  /** Whether the AUTH ran over TLS. */
  secure: boolean;
}

/** One client command as smtp-server logged it (AUTH payloads are redacted to "\/* secured *\/"). */
export interface SmtpCommandRecord {
  sessionId: string;
  /** Upper-case command name, e.g. "EHLO", "STARTTLS", "AUTH", "MAIL". */
  command: string;
  line: string;
}

/** One server reply line as sent. */
export interface SmtpServerReplyRecord {
  sessionId: string;
  line: string;
}

/**
 * XOAUTH2 token check: a (live) set of valid tokens, or a function that gets the XOAUTH2
 * user and bearer token and returns whether it is valid (or a set to look the token up in).
 * Wire a token endpoint with `tokens: (_user, token) => endpoint.isValidToken(token)`.
 */
export type SmtpTokenValidator =
  | ReadonlySet<string>
  | ((username: string, token: string) => boolean | ReadonlySet<string>);

export interface SmtpTestServerAuth {
  /** username -> password for AUTH PLAIN and LOGIN. */
  users?: Record<string, string>;
  /** Valid bearer tokens for AUTH XOAUTH2. */
  tokens?: SmtpTokenValidator;
  /** If true, AUTH is offered but mail is accepted without it too. Default false (AUTH required). */
  optional?: boolean;
  /** Mechanisms advertised, default ["PLAIN", "LOGIN", "XOAUTH2"]. */
  methods?: SmtpAuthMethod[];
}

/** The hooks and settings a test may also change on a running server (they are read per command). */
export interface SmtpTestServerBehaviour {
  /** When set, every AUTH (any mechanism) fails with exactly this reply. */
  authFailureReply?: SmtpReply;
  /**
   * A hostile or careless server: a failed AUTH is answered with "535 5.7.8 rejected AUTH <method> <payload>",
   * quoting the Base64 the client sent (PLAIN: "\0user\0password"; LOGIN: username and password, each
   * Base64; XOAUTH2: the "user=...\x01auth=Bearer ...\x01\x01" string). smtp-server hands over the decoded
   * credentials only, so the payload is rebuilt from them, byte for byte as nodemailer sends it.
   */
  echoRejectedAuth?: boolean;
  onMailFrom?: (address: string, ctx: EnvelopeHookContext) => SmtpHookResult | Promise<SmtpHookResult>;
  onRcptTo?: (address: string, ctx: EnvelopeHookContext) => SmtpHookResult | Promise<SmtpHookResult>;
  /** Called with the complete message before it is stored; a reply rejects it (not stored). */
  onData?: (message: ReceivedMessage, ctx: DataHookContext) => SmtpHookResult | Promise<SmtpHookResult>;
  /**
   * A server that fails around the message body: "dropMidBody" cuts the TCP connection as soon as the first
   * chunk of the body arrives; "dropAfterBody" takes the whole message (counted in dataCount, not stored) and
   * cuts the connection instead of answering the final dot; "stallAfterBody" takes it and never answers.
   */
  bodyFailure?: "dropMidBody" | "dropAfterBody" | "stallAfterBody";
}

export interface SmtpTestServerOptions extends SmtpTestServerBehaviour {
  /** Default "starttls". */
  security?: SmtpSecurity;
  /** "trusted" (default): signed by test/fixtures/tls/ca.pem. "untrusted": self-signed. */
  cert?: "trusted" | "untrusted";
  /** Without `auth` the server does not offer AUTH at all and accepts mail from anyone. */
  auth?: SmtpTestServerAuth;
  /** Advertised SIZE limit in bytes; larger messages are refused with 552 after DATA. */
  size?: number;
  /** Accept STARTTLS but do not advertise it (and so do not require it before AUTH). */
  hideSTARTTLS?: boolean;
  /** Advertise SMTPUTF8 (default true, as smtp-server does). */
  smtputf8?: boolean;
  /**
   * Refuse a non-ASCII MAIL FROM / RCPT TO address with "553 5.6.7" unless the transaction
   * asked for SMTPUTF8 (RFC 6531), as strict servers do. Default true. smtp-server itself
   * accepts such addresses even when it does not advertise SMTPUTF8.
   */
  strictUtf8Addresses?: boolean;
  /** Advertise 8BITMIME (default true). */
  eightBitMime?: boolean;
  /** A raw TCP listener that accepts connections and never says anything (for timeout tests). */
  neverGreet?: boolean;
  /** Idle timeout of a session, default 30 s. */
  socketTimeoutMs?: number;
  /** Host name in the greeting, default "localhost". */
  name?: string;
  /** Print the SMTP transcript to the console (or set SMTP_TEST_DEBUG=1). */
  debug?: boolean;
}

export interface SmtpTestServer extends SmtpTestServerBehaviour {
  readonly host: typeof TEST_HOST;
  readonly port: number;
  readonly security: SmtpSecurity;
  readonly neverGreet: boolean;
  /** Accepted messages, in the order DATA completed. */
  readonly messages: ReceivedMessage[];
  /** TCP connections accepted so far. */
  readonly connections: number;
  /** TCP connections currently open. */
  readonly openConnections: number;
  readonly authAttempts: AuthAttempt[];
  /** Client commands, in arrival order (all sessions). */
  readonly commands: SmtpCommandRecord[];
  /** Server reply lines, in order (all sessions). */
  readonly replies: SmtpServerReplyRecord[];
  /** DATA bodies received (accepted or rejected). */
  readonly dataCount: number;
  /** Errors smtp-server reported (e.g. a client aborting the TLS handshake over an untrusted cert). */
  readonly serverErrors: Error[];
  /** Exceptions thrown by test hooks (the client got a 451 for them). */
  readonly hookErrors: unknown[];
  /** Holds the greeting of every new connection (the TCP connection is accepted) until the returned function is called. */
  holdGreeting(): () => void;
  /** Resolves with the messages once at least `count` have arrived; rejects after `timeoutMs` (default 5000). */
  waitForMessages(count: number, timeoutMs?: number): Promise<ReceivedMessage[]>;
  /** Forgets the recorded messages, attempts, commands and counters. */
  clear(): void;
  /** Stops listening and closes every open connection. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * A hook that answers the first `count` calls with `reply` and accepts from then on, e.g.
 * `onData: failFirst(2, { code: 451, message: "4.3.0 Try again later" })`.
 */
export function failFirst(count: number, reply: SmtpReply): () => SmtpReply | undefined {
  let calls = 0;
  return () => (calls++ < count ? reply : undefined);
}

export async function startSmtpTestServer(options: SmtpTestServerOptions = {}): Promise<SmtpTestServer> {
  const server = options.neverGreet ? new SilentServer(options) : new RealSmtpServer(options);
  await server.listen();
  return server;
}

// ---------------------------------------------------------------------------------------------

interface Waiter {
  count: number;
  resolve: (messages: ReceivedMessage[]) => void;
  reject: (err: Error) => void;
}

interface LogEntryShape {
  tnx?: unknown;
  cid?: unknown;
  command?: unknown;
}

type LogFn = (entry?: LogEntryShape | string, ...rest: unknown[]) => void;

/** Bookkeeping shared by both server kinds. */
abstract class BaseServer implements SmtpTestServer {
  readonly host = TEST_HOST;
  readonly security: SmtpSecurity;
  readonly neverGreet: boolean;
  readonly messages: ReceivedMessage[] = [];
  readonly authAttempts: AuthAttempt[] = [];
  readonly commands: SmtpCommandRecord[] = [];
  readonly replies: SmtpServerReplyRecord[] = [];
  readonly serverErrors: Error[] = [];
  readonly hookErrors: unknown[] = [];
  authFailureReply?: SmtpReply;
  echoRejectedAuth?: boolean;
  onMailFrom?: SmtpTestServerBehaviour["onMailFrom"];
  onRcptTo?: SmtpTestServerBehaviour["onRcptTo"];
  onData?: SmtpTestServerBehaviour["onData"];
  bodyFailure?: SmtpTestServerBehaviour["bodyFailure"];

  protected readonly sockets = new Set<net.Socket>();
  protected connectionCount = 0;
  protected dataCounter = 0;
  private boundPort = 0;
  private waiters: Waiter[] = [];
  private closing?: Promise<void>;

  constructor(options: SmtpTestServerOptions) {
    this.security = options.security ?? "starttls";
    this.neverGreet = options.neverGreet === true;
    this.authFailureReply = options.authFailureReply;
    this.echoRejectedAuth = options.echoRejectedAuth;
    this.onMailFrom = options.onMailFrom;
    this.onRcptTo = options.onRcptTo;
    this.onData = options.onData;
    this.bodyFailure = options.bodyFailure;
  }

  get port(): number {
    return this.boundPort;
  }

  get connections(): number {
    return this.connectionCount;
  }

  get openConnections(): number {
    return this.sockets.size;
  }

  get dataCount(): number {
    return this.dataCounter;
  }

  /** The listening net.Server that accepts the TCP connections. */
  protected abstract get netServer(): net.Server;

  abstract holdGreeting(): () => void;

  async listen(): Promise<void> {
    const srv = this.netServer;
    srv.on("connection", (socket: net.Socket) => {
      this.connectionCount++;
      this.sockets.add(socket);
      socket.once("close", () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      const onError = (err: Error) => reject(err);
      srv.once("error", onError);
      this.startListening(() => {
        srv.off("error", onError);
        resolve();
      });
    });
    const address = srv.address();
    if (address === null || typeof address === "string") {
      throw new Error("SMTP test server: unexpected listen address");
    }
    this.boundPort = address.port;
  }

  protected abstract startListening(onListening: () => void): void;

  protected recordMessage(message: ReceivedMessage): void {
    this.messages.push(message);
    const ready = this.waiters.filter((w) => this.messages.length >= w.count);
    this.waiters = this.waiters.filter((w) => this.messages.length < w.count);
    for (const waiter of ready) waiter.resolve(this.messages.slice());
  }

  waitForMessages(count: number, timeoutMs = 5000): Promise<ReceivedMessage[]> {
    if (this.messages.length >= count) return Promise.resolve(this.messages.slice());
    return new Promise<ReceivedMessage[]>((resolve, reject) => {
      const waiter: Waiter = {
        count,
        resolve: (messages) => {
          clearTimeout(timer);
          resolve(messages);
        },
        reject: (err) => {
          clearTimeout(timer);
          reject(err);
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(
          new Error(
            `SMTP test server: waited ${timeoutMs} ms for ${count} message(s), got ${this.messages.length} ` +
              `(connections=${this.connectionCount}, dataCount=${this.dataCounter})`,
          ),
        );
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  clear(): void {
    this.messages.length = 0;
    this.authAttempts.length = 0;
    this.commands.length = 0;
    this.replies.length = 0;
    this.serverErrors.length = 0;
    this.hookErrors.length = 0;
    this.connectionCount = 0;
    this.dataCounter = 0;
  }

  close(): Promise<void> {
    if (!this.closing) {
      const waiters = this.waiters;
      this.waiters = [];
      for (const waiter of waiters) {
        waiter.reject(new Error(`SMTP test server closed while waiting for ${waiter.count} message(s), got ${this.messages.length}`));
      }
      this.closing = this.shutdown();
    }
    return this.closing;
  }

  protected abstract shutdown(): Promise<void>;

  /** Destroys every TCP connection that is still open. */
  protected destroySockets(): void {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }
}

/** smtp-server based implementation. */
class RealSmtpServer extends BaseServer {
  private readonly greeting = new Gate();

  holdGreeting(): () => void {
    return this.greeting.hold();
  }

  private readonly smtp: SMTPServer;
  private readonly auth?: SmtpTestServerAuth;
  private readonly sizeLimit?: number;
  private readonly debug: boolean;
  private readonly smtputf8: boolean;
  private readonly strictUtf8: boolean;

  constructor(options: SmtpTestServerOptions) {
    super(options);
    this.auth = options.auth;
    this.sizeLimit = options.size;
    this.debug = options.debug === true || process.env.SMTP_TEST_DEBUG === "1";
    this.smtputf8 = options.smtputf8 !== false;
    this.strictUtf8 = options.strictUtf8Addresses !== false;
    const certificate = options.cert === "untrusted" ? untrustedServerCert : trustedServerCert;
    const disabledCommands: string[] = [];
    if (this.security === "none") disabledCommands.push("STARTTLS");
    if (!this.auth) disabledCommands.push("AUTH");

    const serverOptions: SMTPServerOptions = {
      key: certificate.key,
      cert: certificate.cert,
      secure: this.security === "tls",
      name: options.name ?? "localhost",
      disabledCommands,
      // "none" lets AUTH run in clear text; otherwise smtp-server demands TLS first.
      allowInsecureAuth: this.security === "none",
      authMethods: this.auth?.methods ?? ["PLAIN", "LOGIN", "XOAUTH2"],
      authOptional: !this.auth || this.auth.optional === true,
      hideSTARTTLS: options.hideSTARTTLS === true,
      hideSMTPUTF8: !this.smtputf8,
      hide8BITMIME: options.eightBitMime === false,
      size: options.size,
      // Never look up 127.0.0.1 in DNS.
      disableReverseLookup: true,
      // A pooled client sends many commands per connection; do not cut it off.
      maxAllowedUnauthenticatedCommands: false,
      socketTimeout: options.socketTimeoutMs ?? 30_000,
      closeTimeout: 1_000,
      logger: this.makeLogger(),
      onConnect: (_session, callback) => this.greeting.whenOpen(() => callback()),
      onAuth: (auth, session, callback) => this.handleAuth(auth, session, callback),
      onMailFrom: (address, session, callback) => this.handleMailFrom(address, session, callback),
      onRcptTo: (address, session, callback) => this.handleRcptTo(address, session, callback),
      onData: (stream, session, callback) => this.handleData(stream, session, callback),
    };
    this.smtp = new SMTPServer(serverOptions);
    this.smtp.on("error", (err: Error) => {
      this.serverErrors.push(err);
      if (this.debug) console.log("[smtp-test-server] error:", err.message);
    });
  }

  protected get netServer(): net.Server {
    return this.smtp.server;
  }

  protected startListening(onListening: () => void): void {
    this.smtp.listen(0, TEST_HOST, onListening);
  }

  protected async shutdown(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.smtp.close(() => resolve()));
    // Ask each session to end, then give clients a moment to hang up on their own.
    for (const connection of this.smtp.connections) connection.close();
    const grace = new Promise<void>((resolve) => setTimeout(resolve, 100).unref());
    await Promise.race([closed, grace]);
    this.destroySockets();
    await closed;
  }

  // --- smtp-server callbacks ----------------------------------------------------------------

  private handleAuth(
    auth: SMTPServerAuthentication,
    session: SMTPServerSession,
    callback: (err: Error | null | undefined, response?: SMTPServerAuthenticationResponse) => void,
  ): void {
    const method = auth.method;
    const username = auth.username ?? "";
    const record = (success: boolean) =>
      this.authAttempts.push({ method, username, success, secure: session.secure });

    const forced = this.authFailureReply;
    if (forced) {
      record(false);
      callback(smtpError(forced));
      return;
    }

    if (method === "XOAUTH2") {
      const ok = this.checkToken(username, auth.accessToken ?? "");
      record(ok);
      if (ok) {
        callback(null, { user: username });
        return;
      }
      if (this.echoRejectedAuth) {
        callback(smtpError(echoReply(method, [`user=${username}\x01auth=Bearer ${auth.accessToken ?? ""}\x01\x01`])));
        return;
      }
      // The standard XOAUTH2 failure: a 334 challenge carrying this JSON, the client answers
      // with an empty line, then smtp-server sends "535 Error: Username and Password not accepted".
      callback(null, { data: { status: "401", schemes: "bearer", scope: "https://mail.google.com/" } });
      return;
    }

    if (method === "PLAIN" || method === "LOGIN") {
      const users = this.auth?.users ?? {};
      const ok = Object.hasOwn(users, username) && users[username] === auth.password;
      record(ok);
      if (!ok && this.echoRejectedAuth) {
        const password = auth.password ?? "";
        callback(smtpError(echoReply(method, method === "PLAIN" ? [`\x00${username}\x00${password}`] : [username, password])));
        return;
      }
      // A response without `user` makes smtp-server reply "535 Error: Authentication credentials invalid".
      callback(null, ok ? { user: username } : {});
      return;
    }

    record(false);
    callback(smtpError({ code: 504, message: `Unrecognized authentication type ${method}` }));
  }

  private checkToken(username: string, token: string): boolean {
    const tokens = this.auth?.tokens;
    if (!tokens || token === "") return false;
    const verdict = typeof tokens === "function" ? tokens(username, token) : tokens;
    return typeof verdict === "boolean" ? verdict : verdict.has(token);
  }

  private handleMailFrom(
    address: SMTPServerAddress,
    session: SMTPServerSession,
    callback: (err?: Error | null) => void,
  ): void {
    const utf8Refusal = this.checkUtf8(address.address, address.args !== false && address.args.SMTPUTF8 === true);
    if (utf8Refusal) {
      callback(smtpError(utf8Refusal));
      return;
    }
    const hook = this.onMailFrom;
    if (!hook) {
      callback();
      return;
    }
    const ctx: EnvelopeHookContext = { session: sessionInfo(session), args: address.args || {} };
    this.runHook(() => hook(address.address, ctx), callback);
  }

  private handleRcptTo(
    address: SMTPServerAddress,
    session: SMTPServerSession,
    callback: (err?: Error | null) => void,
  ): void {
    const utf8Refusal = this.checkUtf8(address.address, session.envelope.smtpUtf8 === true);
    if (utf8Refusal) {
      callback(smtpError(utf8Refusal));
      return;
    }
    const hook = this.onRcptTo;
    if (!hook) {
      callback();
      return;
    }
    const mailFrom = session.envelope.mailFrom;
    const ctx: EnvelopeHookContext = {
      session: sessionInfo(session),
      args: address.args || {},
      mailFrom: mailFrom ? mailFrom.address : "",
    };
    this.runHook(() => hook(address.address, ctx), callback);
  }

  /** RFC 6531: a non-ASCII address needs SMTPUTF8, which needs the server to offer it. */
  private checkUtf8(address: string, requested: boolean): SmtpReply | undefined {
    if (!this.strictUtf8 || isAscii(address)) return undefined;
    if (!this.smtputf8) return { code: 553, message: "5.6.7 Non-ASCII address not supported: this server does not offer SMTPUTF8" };
    if (!requested) return { code: 553, message: "5.6.7 Non-ASCII address requires MAIL FROM ... SMTPUTF8" };
    return undefined;
  }

  private handleData(
    stream: SMTPServerDataStream,
    session: SMTPServerSession,
    callback: (err?: Error | null, message?: string) => void,
  ): void {
    const chunks: Buffer[] = [];
    const failure = this.bodyFailure;
    const cut = () => {
      for (const socket of this.sockets) if (socket.remotePort === session.remotePort) socket.destroy();
    };
    stream.on("data", (chunk: Buffer) => {
      if (failure === "dropMidBody" && chunks.length === 0) cut();
      chunks.push(chunk);
    });
    stream.once("error", (err: Error) => callback(err));
    stream.once("end", () => {
      const dataIndex = ++this.dataCounter;
      if (failure === "dropAfterBody") return cut();
      if (failure === "stallAfterBody") return;
      if (stream.sizeExceeded) {
        callback(
          smtpError({ code: 552, message: `Error: message exceeds fixed maximum message size ${this.sizeLimit ?? ""}`.trim() }),
        );
        return;
      }
      const info = sessionInfo(session);
      const { mailFrom, rcptTo, smtpUtf8, bodyType } = session.envelope;
      const message: ReceivedMessage = {
        envelope: {
          mailFrom: mailFrom ? mailFrom.address : "",
          rcptTo: rcptTo.map((r) => r.address),
          smtpUtf8: smtpUtf8 === true,
          ...(bodyType ? { bodyType } : {}),
        },
        raw: Buffer.concat(chunks),
        ...(info.user !== undefined ? { user: info.user } : {}),
        secure: info.secure,
        sessionId: info.id,
        receivedAt: Date.now(),
      };
      const hook = this.onData;
      this.runHook(
        () => (hook ? hook(message, { session: info, dataIndex }) : undefined),
        (err) => {
          if (!err) this.recordMessage(message);
          callback(err);
        },
      );
    });
  }

  /** Runs a (possibly async) hook and turns its result into an smtp-server callback. */
  private runHook(run: () => SmtpHookResult | Promise<SmtpHookResult>, callback: (err?: Error | null) => void): void {
    Promise.resolve()
      .then(run)
      .then(
        (reply) => callback(reply ? smtpError(reply) : null),
        (err: unknown) => {
          this.hookErrors.push(err);
          callback(smtpError({ code: 451, message: "4.3.0 Test hook failed" }));
        },
      );
  }

  // --- transcript ---------------------------------------------------------------------------

  private makeLogger(): Record<"trace" | "debug" | "info" | "warn" | "error" | "fatal", LogFn> {
    const capture: LogFn = (entry, ...rest) => {
      if (entry && typeof entry === "object") {
        const sessionId = String(entry.cid ?? "");
        if (entry.tnx === "command") {
          this.commands.push({ sessionId, command: String(entry.command ?? ""), line: String(rest[1] ?? "") });
        } else if (entry.tnx === "send") {
          this.replies.push({ sessionId, line: String(rest[1] ?? "") });
        }
      }
      if (this.debug) {
        const [format, ...args] = rest;
        const cid = entry && typeof entry === "object" ? String(entry.cid ?? "") : "";
        console.log(`[smtp-test-server ${this.port}] ${cid}`, util.format(String(format ?? ""), ...args));
      }
    };
    return { trace: capture, debug: capture, info: capture, warn: capture, error: capture, fatal: capture };
  }
}

/** Raw TCP listener that never greets, for greeting/connection timeout tests. */
class SilentServer extends BaseServer {
  /** It never greets anyway. */
  holdGreeting(): () => void {
    return () => undefined;
  }

  private readonly server = net.createServer((socket) => {
    // Swallow resets from clients that give up.
    socket.on("error", () => undefined);
  });

  protected get netServer(): net.Server {
    return this.server;
  }

  protected startListening(onListening: () => void): void {
    this.server.listen(0, TEST_HOST, onListening);
  }

  protected async shutdown(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.destroySockets();
    await closed;
  }
}

function smtpError(reply: SmtpReply): SMTPServerError {
  const err: SMTPServerError = new Error(reply.message);
  err.responseCode = reply.code;
  return err;
}

/** "535 5.7.8 rejected AUTH PLAIN AGJvdEBleGFtcGxlACpw..." with each payload Base64-encoded. */
function echoReply(method: string, payloads: string[]): SmtpReply {
  const encoded = payloads.map((payload) => Buffer.from(payload, "utf8").toString("base64"));
  return { code: 535, message: `5.7.8 rejected AUTH ${method} ${encoded.join(" ")}` };
}

function isAscii(value: string): boolean {
  // UTF-8 takes one byte per character exactly when every character is ASCII.
  return Buffer.byteLength(value, "utf8") === value.length;
}

function sessionInfo(session: SMTPServerSession): SmtpSessionInfo {
  const user: unknown = session.user;
  return {
    id: session.id,
    ...(typeof user === "string" ? { user } : {}),
    secure: session.secure,
    transaction: session.transaction,
    remotePort: session.remotePort,
  };
}
