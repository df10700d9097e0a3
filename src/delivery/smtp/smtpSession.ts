import net, { Socket } from "node:net";
import type { Readable } from "node:stream";
import type SMTPConnection from "nodemailer/lib/smtp-connection";
import type { SMTPConnectionAuth } from "nodemailer/lib/smtp-connection";
import type { Deadline } from "../../deadline/deadline";
import { connectTimeouts, remainingLimitMs, type TransportPlan } from "./transportPlan";

/** How long to wait for the reply to QUIT before hanging up anyway. */
const QUIT_GRACE_MS = 1_000;

/** What the server told about itself while the session opened. */
export interface SessionFacts {
  /** The session ended up encrypted (implicit TLS or STARTTLS). */
  secure: boolean;
  /** The EHLO keywords the server announced, e.g. "SMTPUTF8". */
  extensions: string[];
}

/**
 * One SMTP connection outside the pool, driven step by step with nodemailer's own SMTPConnection (the
 * client its pool uses): open (connect, greeting, EHLO, STARTTLS or TLS), log in, send, say goodbye.
 * Each step is a promise that also rejects when the connection fails or closes in between, or when the
 * deadline runs out (then the connection is closed at once). Nothing of it keeps a finished process alive.
 *
 * The TCP connection is opened first, with Node's own `net` (already loaded), and nodemailer's client is
 * loaded while the handshake and the greeting are on their way; it then takes the socket over before it
 * has read a byte (a socket buffers what arrives until someone reads).
 */
export class SmtpSession {
  readonly opened: Promise<SessionFacts>;
  private readonly socket: Socket;
  private connection?: SMTPConnection;
  private failure?: unknown;
  /** The step in progress: told when the connection fails under it. */
  private pending?: (error: unknown) => void;
  private ended = false;

  constructor(
    plan: TransportPlan,
    private readonly deadline: Deadline,
    private readonly step: string,
  ) {
    deadline.check(step);
    // Host name resolution by Node (getaddrinfo, both address families tried as RFC 8305 says).
    this.socket = net.connect({ host: plan.endpoint.host, port: plan.endpoint.port });
    deadline.whenExpired(this.onExpire);
    // Until the client takes the socket over, its failures (refused, unknown host, reset) are told here,
    // shaped as nodemailer shapes a socket failure so they read the same.
    this.socket.on("error", this.onEarlySocketError);
    this.opened = this.run<void>((done) => {
      // In the next turn of the event loop: Node makes the connect call itself on the next tick, which a
      // promise chain (this import, or the caller's) would otherwise hold back until the client has loaded.
      setImmediate(() => {
        import("./smtpClient").then(
          ({ smtpClientOn }) => this.takeOver(smtpClientOn, plan, done),
          (error: unknown) => done(error),
        );
      });
    }).then(() => ({
      secure: this.client().secure,
      extensions: announcedExtensions(this.client()),
    }));
    // A session given up before anyone awaits it (a config error found later) must not leave an unhandled rejection.
    this.opened.catch(() => undefined);
  }

  /** After `opened` only. */
  login(auth: SMTPConnectionAuth): Promise<void> {
    return this.run<void>((done) => this.client().login(auth, (error) => done(error)));
  }

  /** After `opened` only. */
  send(envelope: SMTPConnection.Envelope, message: Readable): Promise<SMTPConnection.SentMessageInfo> {
    return this.run((done) => this.client().send(envelope, message, (error, info) => done(error, info)));
  }

  /** Says QUIT (nothing half-done is left on the server) and hangs up after the reply or a short grace. */
  goodbye(): void {
    if (!this.end()) return;
    const connection = this.connection;
    // Not taken over yet: nothing was said on the socket, so there is nothing to say goodbye to.
    if (!connection) return void this.socket.destroy();
    connection.quit();
    setTimeout(() => connection.close(), QUIT_GRACE_MS).unref();
  }

  /** Hangs up at once: after a failure, or when the deadline ran out. */
  abort(): void {
    if (!this.end()) return;
    if (this.connection) this.connection.close();
    else this.socket.destroy();
  }

  /** nodemailer's client takes the socket over: from here its events tell how the connection fares. */
  private takeOver(smtpClientOn: typeof import("./smtpClient").smtpClientOn, plan: TransportPlan, done: (error: unknown) => void): void {
    // Failed or given up while the client loaded: the step has been told already (or is told now).
    if (this.failure !== undefined || this.ended) return done(this.failure ?? new Error("SMTP session ended before it opened"));
    const connection = smtpClientOn(this.socket, { ...plan.connection, ...connectTimeouts(this.deadline), socketTimeout: remainingLimitMs(this.deadline) });
    this.connection = connection;
    this.socket.off("error", this.onEarlySocketError);
    // Every failure also arrives here; without a listener an "error" event would crash the process.
    connection.on("error", (error: unknown) => this.fail(error));
    connection.once("end", () => this.fail(Object.assign(new Error("Connection closed"), { code: "ECONNECTION" })));
    connection.connect((error) => done(error));
  }

  private readonly onEarlySocketError = (error: Error & { code?: string }) => {
    this.fail(Object.assign(error, { originalCode: error.code, code: "ESOCKET", command: "CONN" }));
    this.socket.destroy();
  };

  private client(): SMTPConnection {
    if (!this.connection) throw new Error("SMTP session used before it opened");
    return this.connection;
  }

  private readonly onExpire = () => {
    this.fail(this.deadline.timeoutError(this.step));
    this.abort();
  };

  private end(): boolean {
    if (this.ended) return false;
    this.ended = true;
    this.deadline.forget(this.onExpire);
    // The goodbye (or teardown) is no reason to keep a finished process alive: neither the TCP socket
    // nor, after STARTTLS or TLS, the TLS socket nodemailer put over it.
    this.socket.unref();
    const socket = (this.connection as unknown as { _socket?: unknown } | undefined)?._socket;
    if (socket instanceof Socket) socket.unref();
    return true;
  }

  private fail(error: unknown): void {
    this.failure ??= error;
    const pending = this.pending;
    this.pending = undefined;
    pending?.(error);
  }

  /** One nodemailer callback step as a promise that the connection's failure also settles. */
  private run<T>(start: (done: (error: unknown, value?: T) => void) => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.failure !== undefined) return reject(this.failure);
      let settled = false;
      const settle = (error: unknown, value?: T) => {
        if (settled) return;
        settled = true;
        if (this.pending === onFailure) this.pending = undefined;
        if (error) reject(error);
        else resolve(value as T);
      };
      const onFailure = (error: unknown) => settle(error);
      this.pending = onFailure;
      start(settle);
    });
  }
}

/** nodemailer keeps the EHLO keywords in a field its types do not declare; tests pin this down. */
function announcedExtensions(connection: SMTPConnection): string[] {
  const extensions = (connection as unknown as { _supportedExtensions?: unknown })._supportedExtensions;
  return Array.isArray(extensions) ? extensions.map((keyword) => String(keyword).toUpperCase()) : [];
}
