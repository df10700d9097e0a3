import { randomUUID } from "node:crypto";
import type Mail from "nodemailer/lib/mailer";
import type { TransportConfig } from "../../config/transportConfig";
import type { Deadline } from "../../deadline/deadline";
import { raceDeadline } from "../../deadline/raceDeadline";
import { secretsInPlay } from "../../oauth2/tokenSecrets";
import type { IssuedToken } from "../../oauth2/tokenSource";
import { withAccessToken } from "../../oauth2/withAccessToken";
import type { SecretSet } from "../../result/redactSecrets";
import type { SentMessage } from "../../result/sentMessage";
import { composeMime, type ComposedMime } from "./composeMime";
import { GraphAnswerError, graphFailure, isGraphTokenRejection } from "./graphFailure";
import { planGraph } from "./graphPlan";
import { GRAPH_MAX_MIME_BYTES, postSendMail, sendMailUrl } from "./graphRequest";

/** Graph's throttling guidance: without Retry-After, back off before the one retry. */
const DEFAULT_RETRY_AFTER_MS = 1_000;
/** A retry is only worth it when this much of the budget is left after the wait. */
const MIN_REQUEST_MS = 1_000;

/**
 * Sends one message through Microsoft Graph (sendMail with MIME content), from the mailbox in its
 * From address. The MIME is nodemailer's, exactly as the SMTP path writes it, Bcc header included:
 * Exchange takes the recipients from the headers and removes Bcc on delivery. The token request and
 * the composition run at the same time. A 202 is final; a 429 or 503 is retried once when its wait
 * fits the deadline, and a cached token Graph rejects (401) is renewed once. Rejects with an SmtpEmailError only.
 */
export async function sendViaGraph(config: TransportConfig, mail: Mail.Options, deadline: Deadline, secrets?: SecretSet): Promise<SentMessage> {
  const plan = planGraph(config);
  const step = `sending through Microsoft Graph (${plan.host})`;
  const mailbox = senderAddress(mail) ?? plan.user;
  const composing = raceDeadline(composeMime(mail, GRAPH_MAX_MIME_BYTES), deadline, step);
  // Handled where it is awaited; this only keeps a failure while the token is still on its way from being unhandled.
  composing.catch(() => undefined);
  const clientRequestId = randomUUID();
  let token: IssuedToken | undefined;
  try {
    return await withAccessToken(
      plan.tokenSource,
      deadline,
      secrets,
      async (issued) => {
        token = issued;
        const mime = await composing;
        return await post(sendMailUrl(plan.endpoint, mailbox), mime, issued?.accessToken ?? "", clientRequestId, deadline, step);
      },
      isGraphTokenRejection,
    );
  } catch (error) {
    // A message that cannot be composed is the failure to report, whatever happened to the token meanwhile.
    const composeError = await composing.then(() => undefined, (failure: unknown) => failure);
    throw graphFailure(composeError ?? error, {
      endpoint: plan.host,
      origin: plan.endpoint,
      mailbox,
      mailboxField: mailbox.toLowerCase() === plan.user.toLowerCase() ? "clientCredentialsConnection" : "from",
      // The caller's set holds the token already (added as it arrived); without one, the send's own secrets.
      secrets: secrets ?? secretsInPlay(config.auth, token),
      deadline,
      step,
    });
  }
}

async function post(url: URL, mime: ComposedMime, accessToken: string, clientRequestId: string, deadline: Deadline, step: string): Promise<SentMessage> {
  const body = mime.raw.toString("base64");
  for (let attempt = 1; ; attempt++) {
    deadline.check(step);
    const answer = await postSendMail(url, accessToken, body, clientRequestId, deadline.signal);
    if (answer.status >= 200 && answer.status < 300) {
      return {
        transport: "graph",
        messageId: mime.messageId,
        accepted: mime.envelope.to,
        rejected: [],
        response: `${answer.status} Accepted`,
        envelope: mime.envelope,
        ...(answer.requestId && { requestId: answer.requestId }),
        ...(answer.clientRequestId && { clientRequestId: answer.clientRequestId }),
      };
    }
    // Throttled or unavailable: Graph did not take the message, so one more try is safe when the wait fits.
    const retryable = attempt === 1 && (answer.status === 429 || answer.status === 503);
    const wait = answer.retryAfterMs ?? DEFAULT_RETRY_AFTER_MS;
    if (!retryable || wait + MIN_REQUEST_MS > deadline.remainingMs()) throw new GraphAnswerError(answer);
    await raceDeadline(new Promise((resolve) => setTimeout(resolve, wait)), deadline, step);
  }
}

/** The From address the message config resolved to (validated, a single mailbox). */
function senderAddress(mail: Mail.Options): string | undefined {
  const from = mail.from;
  if (typeof from === "string") return from;
  if (from && !Array.isArray(from) && typeof from.address === "string") return from.address;
  return undefined;
}
