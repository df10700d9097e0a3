import { Socket } from "node:net";
import type { Readable } from "node:stream";
import SMTPConnection, { type SMTPConnectionAuth } from "nodemailer/lib/smtp-connection";
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
 */
export class SmtpSession {
  readonly opened: Promise<SessionFacts>;
  private readonly connection: SMTPConnection;
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
    this.connection = new SMTPConnection({ ...plan.connection, ...connectTimeouts(deadline), socketTimeout: remainingLimitMs(deadline) });
    deadline.whenExpired(this.onExpire);
    // Every failure also arrives here; without a listener an "error" event would crash the process.
    this.connection.on("error", (error: unknown) => this.fail(error));
    this.connection.once("end", () => this.fail(Object.assign(new Error("Connection closed"), { code: "ECONNECTION" })));
    this.opened = this.run<void>((done) => this.connection.connect((error) => done(error))).then(() => ({
      secure: this.connection.secure,
      extensions: announcedExtensions(this.connection),
    }));
    // A session given up before anyone awaits it (a config error found later) must not leave an unhandled rejection.
    this.opened.catch(() => undefined);
  }

  login(auth: SMTPConnectionAuth): Promise<void> {
    return this.run<void>((done) => this.connection.login(auth, (error) => done(error)));
  }

  send(envelope: SMTPConnection.Envelope, message: Readable): Promise<SMTPConnection.SentMessageInfo> {
    return this.run((done) => this.connection.send(envelope, message, (error, info) => done(error, info)));
  }

  /** Says QUIT (nothing half-done is left on the server) and hangs up after the reply or a short grace. */
  goodbye(): void {
    if (!this.end()) return;
    this.connection.quit();
    setTimeout(() => this.connection.close(), QUIT_GRACE_MS).unref();
  }

  /** Hangs up at once: after a failure, or when the deadline ran out. */
  abort(): void {
    if (this.end()) this.connection.close();
  }

  private readonly onExpire = () => {
    this.fail(this.deadline.timeoutError(this.step));
    this.abort();
  };

  private end(): boolean {
    if (this.ended) return false;
    this.ended = true;
    this.deadline.forget(this.onExpire);
    // The goodbye (or teardown) is no reason to keep a finished process alive.
    const socket = (this.connection as unknown as { _socket?: unknown })._socket;
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
