import type Mail from "nodemailer/lib/mailer";
import type { TransportConfig } from "../../config/transportConfig";
import type { Deadline } from "../../deadline/deadline";
import { raceDeadline } from "../../deadline/raceDeadline";
import type { IssuedToken } from "../../oauth2/tokenSource";
import { withAccessToken } from "../../oauth2/withAccessToken";
import type { SentMessage } from "../../result/sentMessage";
import type { SecretSet } from "../../result/redactSecrets";
import { credentialFingerprint, isSmtpTokenRejection } from "./smtpAuth";
import { smtpFailure } from "./smtpFailure";
import { Handover, withHandover } from "./handover";
import { sentBySmtp } from "./sentBySmtp";
import { streamLargeContent } from "./streamLargeContent";
import { transportCache } from "./transportCache";
import { failureContext, planTransport, poolOptions, setConnectTimeouts, type TransportPlan } from "./transportPlan";

/**
 * Sends one message through the pooled transport for the config's server and credential, fetching
 * an OAuth2 token first where needed. Everything, the token included, happens within `deadline`.
 * Rejects with an SmtpEmailError only. Each token used is added to `secrets`, the caller's redaction set.
 */
export async function sendMail(config: TransportConfig, mail: Mail.Options, deadline: Deadline, secrets?: SecretSet): Promise<SentMessage> {
  const plan = planTransport(config);
  const step = `sending via ${plan.server}`;
  let token: IssuedToken | undefined;
  // Per attempt: a retry after a rejected token starts before any message went out.
  let handover: Handover | undefined;
  try {
    return await withAccessToken(
      plan.tokenSource,
      deadline,
      secrets,
      (issued) => {
        token = issued;
        handover = new Handover();
        return deliverOnce(plan, config, mail, issued, deadline, step, handover);
      },
      isSmtpTokenRejection,
    );
  } catch (error) {
    throw smtpFailure(error, { ...failureContext(plan, config, token, deadline, step), handedOver: handover?.complete === true });
  }
}

async function deliverOnce(plan: TransportPlan, config: TransportConfig, mail: Mail.Options, token: IssuedToken | undefined, deadline: Deadline, step: string, handover: Handover): Promise<SentMessage> {
  deadline.check(step);
  const lease = transportCache.acquire(plan.slotKey, plan.fixedCredential ?? credentialFingerprint(config.auth, plan.tokenSource, token), () => poolOptions(plan, config, token, deadline));
  // A connection the pool opens for this message gets this caller's remaining time; the pool reads its options at connect time.
  setConnectTimeouts(lease.pool.options, deadline);
  // A copy per attempt (the caller's options stay as they were, for a retry). Object.assign, not a spread:
  // V8 gave each spread copy a hidden class of its own, a new one per send, which nodemailer then read.
  const options: Mail.Options = Object.assign({}, streamLargeContent(mail));
  // The deadline's signal makes the pool drop the message from its queue or close the connection sending it.
  // nodemailer takes any object of AbortSignal's shape; the deadline's own costs no AbortController per send.
  options.signal = mail.signal ? AbortSignal.any([mail.signal, deadline.signal]) : (deadline.abortWatch as AbortSignal);
  withHandover(options, handover);
  try {
    const info = await raceDeadline(lease.mailer.sendMail(options), deadline, step, () => lease.retire());
    return sentBySmtp(info);
  } catch (error) {
    // A server that let the budget run out may be stalling: the next send starts on a fresh transport.
    if (deadline.expired) lease.retire();
    throw error;
  } finally {
    lease.release();
  }
}
