import type Mail from "nodemailer/lib/mailer";
import type { TransportConfig } from "../../config/transportConfig";
import type { Deadline } from "../../deadline/deadline";
import { tokenCache, type TokenLookup } from "../../oauth2/tokenCache";
import { lookupToken } from "../../oauth2/withAccessToken";
import type { SecretSet } from "../../result/redactSecrets";
import type { SentMessage } from "../../result/sentMessage";
import { connectionLogin, isSmtpTokenRejection } from "./smtpAuth";
import { Handover } from "./handover";
import { smtpFailure } from "./smtpFailure";
import { SmtpSession } from "./smtpSession";
import { warmSecureContext } from "./tlsSettings";
import { failureContext, type TransportPlan } from "./transportPlan";

/** A send whose connection is being set up while its message is still being prepared. */
export interface EarlySend {
  /** Sends the finished message on the prepared session, then says goodbye. Rejects with an SmtpEmailError only. */
  send(mail: Mail.Options): Promise<SentMessage>;
  /** Whether the server announced SMTPUTF8 (read from the session's EHLO, no connection of its own). */
  offersSmtpUtf8(): Promise<boolean>;
  /** The message could not be built: QUIT without having sent anything. */
  cancel(): void;
}

/**
 * The first send to a server in this process: nothing is pooled yet, so the whole set-up is ahead.
 * It starts at once, on a session of its own: TCP, greeting, EHLO, STARTTLS or TLS, and for OAuth2
 * the token request beside it (the token is needed only at AUTH), then the login. The custom CA's
 * secure context is built while the first answers are on their way. The message goes out (MAIL FROM
 * and on) only when `send` hands it over, complete. Later sends use the pool.
 */
export function startEarlySend(config: TransportConfig, plan: TransportPlan, deadline: Deadline, secrets: SecretSet): EarlySend {
  const step = `sending via ${plan.server}`;
  const source = plan.tokenSource;
  // The SMTP connection first: its set-up (TCP, greeting, EHLO, STARTTLS) takes more round trips than the
  // token's. Node makes the connect call on the next tick, so the token request starts on a tick after it.
  const session = new SmtpSession(plan, deadline, step);
  const lookup: Promise<TokenLookup> | undefined = source && new Promise<TokenLookup>((resolve) => process.nextTick(() => resolve(lookupToken(source, deadline, secrets))));
  // Awaited after the session opened; a token failure before that must not be an unhandled rejection.
  lookup?.catch(() => undefined);
  // While the first answers are on their way: the secure context (needed from STARTTLS or the TLS
  // handshake on), and nodemailer's Mail front with its composer (needed once the message is handed over).
  setImmediate(() => {
    warmSecureContext(plan.connection.tls);
    void import("./sendOnSession").catch(() => undefined);
  });
  let token: TokenLookup | undefined;
  // The login is made ready as soon as the token is in (XOAUTH2's module loaded; lookupToken made the token redactable),
  // while the session may still wait for the server; it is used once the session has opened.
  const login = (async () => {
    token = lookup && (await lookup);
    return connectionLogin(config.auth, token?.token);
  })();
  login.catch(() => undefined);
  const loggedIn = (async () => {
    await session.opened;
    const ready = await login;
    // Like the pooled transport (forceAuth): with credentials configured, log in even if the server did not offer AUTH.
    if (ready) await session.login(ready);
  })();
  // Awaited by send; until then a failure must not be an unhandled rejection.
  loggedIn.catch(() => undefined);

  return {
    async send(mail) {
      const handover = new Handover();
      try {
        // Loaded while the session connects (see above), not before it. The message is compiled at once,
        // its bytes sent once the login is through.
        const sent = await (await import("./sendOnSession")).sendOnSession(session, loggedIn, mail, handover);
        session.goodbye();
        return sent;
      } catch (error) {
        session.abort();
        // A cached token the server rejects may have been revoked: the pooled path asks for a new one, once.
        if (source?.renewable && token?.fromCache && isSmtpTokenRejection(error)) {
          tokenCache.invalidate(source.key, token.token.accessToken);
          return (await import("./sendMail")).sendMail(config, mail, deadline, secrets);
        }
        throw smtpFailure(error, { ...failureContext(plan, config, token?.token, deadline, step), handedOver: handover.complete });
      }
    },
    async offersSmtpUtf8() {
      try {
        return (await session.opened).extensions.includes("SMTPUTF8");
      } catch (error) {
        session.abort();
        throw smtpFailure(error, failureContext(plan, config, token?.token, deadline, step));
      }
    },
    cancel: () => session.goodbye(),
  };
}
