import { Socket } from "node:net";
import SMTPConnection, { type SMTPConnectionAuth } from "nodemailer/lib/smtp-connection";
import type { TransportConfig } from "../../config/transportConfig";
import type { Deadline } from "../../deadline/deadline";
import { registerToken } from "../../oauth2/tokenSecrets";
import type { IssuedToken } from "../../oauth2/tokenSource";
import { withAccessToken } from "../../oauth2/withAccessToken";
import type { SecretSet } from "../../result/redactSecrets";
import { connectionLogin, isSmtpTokenRejection } from "./smtpAuth";
import { smtpFailure } from "./smtpFailure";
import { connectTimeouts, failureContext, planTransport, remainingLimitMs, type TransportPlan } from "./transportPlan";

/** How long to wait for the reply to QUIT before hanging up anyway. */
const QUIT_GRACE_MS = 1_000;

/** What the session learned beyond the public outcome. */
interface SessionFacts extends Omit<VerifiedConnection, "server"> {
  /** The EHLO keywords the server announced, e.g. "SMTPUTF8". */
  extensions: string[];
}

export interface VerifiedConnection {
  /** The session ended up encrypted (implicit TLS or STARTTLS). */
  secure: boolean;
  /** The server accepted the login; false when the method is "none". */
  authenticated: boolean;
  /** "host:port". */
  server: string;
}

/**
 * Does everything a send does up to the first message, then says goodbye: connects, negotiates TLS,
 * fetches a token where needed and logs in. Uses a connection of its own, outside the pool, so the
 * answer reflects the server right now. Rejects with an SmtpEmailError only. Each token used is added to `secrets`.
 */
export async function verifyConnection(config: TransportConfig, deadline: Deadline, secrets?: SecretSet): Promise<VerifiedConnection> {
  const plan = planTransport(config);
  const step = `checking the connection to ${plan.server}`;
  let token: IssuedToken | undefined;
  try {
    const { secure, authenticated } = await withAccessToken(
      plan.tokenSource,
      deadline,
      (issued) => {
        token = issued;
        if (secrets) registerToken(secrets, issued);
        return connectAndLogin(plan, connectionLogin(config.auth, issued), deadline, step);
      },
      isSmtpTokenRejection,
    );
    return { secure, authenticated, server: plan.server };
  } catch (error) {
    throw smtpFailure(error, failureContext(plan, config, token, deadline, step));
  }
}

/**
 * Whether the server announces SMTPUTF8 (RFC 6531), asked on a connection of its own without logging in.
 * Only mails with a non-ASCII local part need this, so the extra connection is rare.
 */
export async function serverOffersSmtpUtf8(config: TransportConfig, deadline: Deadline): Promise<boolean> {
  const plan = planTransport(config);
  const step = `asking ${plan.server} for SMTPUTF8`;
  try {
    const { extensions } = await connectAndLogin(plan, undefined, deadline, step);
    return extensions.includes("SMTPUTF8");
  } catch (error) {
    throw smtpFailure(error, failureContext(plan, config, undefined, deadline, step));
  }
}

/** nodemailer keeps the socket in a field its types do not declare; a TLS socket's unref reaches the TCP socket beneath. */
function unrefSocket(connection: SMTPConnection): void {
  const socket = (connection as unknown as { _socket?: unknown })._socket;
  if (socket instanceof Socket) socket.unref();
}

/** nodemailer keeps the EHLO keywords in a field its types do not declare; tests pin this down. */
function announcedExtensions(connection: SMTPConnection): string[] {
  const extensions = (connection as unknown as { _supportedExtensions?: unknown })._supportedExtensions;
  return Array.isArray(extensions) ? extensions.map((keyword) => String(keyword).toUpperCase()) : [];
}

function connectAndLogin(plan: TransportPlan, login: SMTPConnectionAuth | undefined, deadline: Deadline, step: string): Promise<SessionFacts> {
  deadline.check(step);
  const connection = new SMTPConnection({ ...plan.connection, ...connectTimeouts(deadline), socketTimeout: remainingLimitMs(deadline) });
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (error: unknown, outcome?: SessionFacts) => {
      if (settled) return;
      settled = true;
      deadline.forget(onAbort);
      // The goodbye (or teardown) is no reason to keep a finished process alive.
      unrefSocket(connection);
      if (outcome) {
        connection.quit();
        setTimeout(() => connection.close(), QUIT_GRACE_MS).unref();
        resolve(outcome);
      } else {
        connection.close();
        reject(error);
      }
    };
    const onAbort = () => finish(deadline.timeoutError(step));
    deadline.whenExpired(onAbort);
    // Every failure also arrives here; without a listener an "error" event would crash the process.
    connection.on("error", (error: unknown) => finish(error));
    connection.once("end", () => finish(Object.assign(new Error("Connection closed"), { code: "ECONNECTION" })));
    connection.connect((error) => {
      if (error) return finish(error);
      const facts = () => ({ secure: connection.secure, extensions: announcedExtensions(connection) });
      if (!login) return finish(undefined, { ...facts(), authenticated: false });
      // Like the pooled transport (forceAuth): with credentials configured, log in even if the server did not offer AUTH.
      connection.login(login, (loginError) => {
        if (loginError) finish(loginError);
        else finish(undefined, { ...facts(), authenticated: true });
      });
    });
  });
}
