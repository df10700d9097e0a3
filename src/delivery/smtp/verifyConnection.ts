import type { SMTPConnectionAuth } from "nodemailer/lib/smtp-connection";
import type { TransportConfig } from "../../config/transportConfig";
import type { Deadline } from "../../deadline/deadline";
import type { IssuedToken } from "../../oauth2/tokenSource";
import { withAccessToken } from "../../oauth2/withAccessToken";
import type { SecretSet } from "../../result/redactSecrets";
import { connectionLogin, isSmtpTokenRejection } from "./smtpAuth";
import { smtpFailure } from "./smtpFailure";
import { SmtpSession, type SessionFacts } from "./smtpSession";
import { failureContext, planTransport, type TransportPlan } from "./transportPlan";

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
      secrets,
      (issued) => {
        token = issued;
        return connectionLogin(config.auth, issued).then((login) => connectAndLogin(plan, login, deadline, step));
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

async function connectAndLogin(plan: TransportPlan, login: SMTPConnectionAuth | undefined, deadline: Deadline, step: string): Promise<SessionFacts & { authenticated: boolean }> {
  const session = new SmtpSession(plan, deadline, step);
  try {
    const facts = await session.opened;
    // Like the pooled transport (forceAuth): with credentials configured, log in even if the server did not offer AUTH.
    if (login) await session.login(login);
    session.goodbye();
    return { ...facts, authenticated: login !== undefined };
  } catch (error) {
    session.abort();
    throw error;
  }
}
