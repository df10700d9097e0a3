/**
 * Sending for real: the entry points the nodes use. The message is the same for every delivery
 * (nodemailer's mail options); how it leaves depends on the config: SMTP in smtp/, Microsoft Graph in
 * graph/. The OAuth2 tokens both need come from oauth2/, one cache for both.
 *
 * - sendMail: one message, within the caller's deadline.
 * - verifyConnection: everything up to sending (SMTP: connect, TLS, token, login; Graph: the token), sending nothing.
 * - closeAllTransports / resetCaches / cacheStats: shutdown and test hooks.
 */
import type Mail from "nodemailer/lib/mailer";
import type { TransportConfig } from "../config/transportConfig";
import type { Deadline } from "../deadline/deadline";
import { tokenCache } from "../oauth2/tokenCache";
import type { TokenSource } from "../oauth2/tokenSource";
import type { SecretSet } from "../result/redactSecrets";
import { planGraph } from "./graph/graphPlan";
import type { VerifiedGraphAccess } from "./graph/verifyGraph";
import type { SentMessage } from "../result/sentMessage";
import { startEarlySend, type EarlySend } from "./smtp/earlySend";
import { claimFirstUse, forgetUses } from "./smtp/firstUse";
import { planTransport } from "./smtp/transportPlan";
import { verifyConnection as verifySmtp, type VerifiedConnection as VerifiedSmtpConnection } from "./smtp/verifyConnection";

export { serverOffersSmtpUtf8 } from "./smtp/verifyConnection";
export type { SentMessage } from "../result/sentMessage";
export type { EarlySend } from "./smtp/earlySend";

/**
 * Starts what a send can do before its message exists, right after the config was validated. The first
 * SMTP send to a server in this process gets the whole session set-up (see startEarlySend), returned to
 * send on. Otherwise only the token request starts, when the token is not cached, and the send goes
 * through sendMail as usual (undefined is returned: no object per warm send). Throws an SmtpEmailError
 * for a config the plan refuses (a malformed CA certificate); nothing is opened then.
 */
export function prepareDelivery(config: TransportConfig, deadline: Deadline, secrets: SecretSet): EarlySend | undefined {
  if (config.delivery.kind === "graph") {
    prefetchToken(planGraph(config).tokenSource, deadline);
    return undefined;
  }
  const plan = planTransport(config);
  if (claimFirstUse(plan.slotKey)) return startEarlySend(config, plan, deadline, secrets);
  prefetchToken(plan.tokenSource, deadline);
  return undefined;
}

/** A token the send will need, asked for now; the send joins the same request (or finds it cached). */
function prefetchToken(source: TokenSource | undefined, deadline: Deadline): void {
  if (source) tokenCache.get(source, deadline.abortWatch).catch(() => undefined);
}

export type VerifiedConnection = (VerifiedSmtpConnection & { transport: "smtp" }) | VerifiedGraphAccess;

type SmtpPool = typeof import("./smtp/pool");
/** The pooled SMTP delivery, once loaded: a cold send connects on a session of its own before any of it loads. */
let pool: SmtpPool | undefined;
const loadPool = (): Promise<SmtpPool> => import("./smtp/pool").then((loaded) => (pool = loaded));

/**
 * Sends one message by the config's delivery. Rejects with an SmtpEmailError only; each token used is added to `secrets`.
 * The Graph delivery loads on its first use, and so does the pool: neither is compiled before it is needed.
 */
export function sendMail(config: TransportConfig, mail: Mail.Options, deadline: Deadline, secrets?: SecretSet): Promise<SentMessage> {
  if (config.delivery.kind === "graph") return import("./graph/sendViaGraph").then(({ sendViaGraph }) => sendViaGraph(config, mail, deadline, secrets));
  // Loaded: no await of its own on the warm path.
  if (pool) return pool.sendMail(config, mail, deadline, secrets);
  return loadPool().then((loaded) => loaded.sendMail(config, mail, deadline, secrets));
}

/** Checks everything a send would need without sending. Rejects with an SmtpEmailError only. */
export async function verifyConnection(config: TransportConfig, deadline: Deadline, secrets?: SecretSet): Promise<VerifiedConnection> {
  if (config.delivery.kind === "graph") return (await import("./graph/verifyGraph")).verifyGraph(config, deadline, secrets);
  return { ...(await verifySmtp(config, deadline, secrets)), transport: "smtp" };
}

/**
 * Closes every pooled SMTP connection of the process, also ones still sending, and forgets which servers
 * were sent to (the next send to each is a first one again). Call at shutdown (demo, tests' afterAll).
 */
export async function closeAllTransports(): Promise<void> {
  forgetUses();
  // Loaded if it was not: code may have used the pool's modules directly (tests, benchmarks).
  await (pool ?? (await loadPool())).transportCache.closeAll();
}

/** Closes all transports and forgets all cached tokens, rotated refresh tokens included. For tests. */
export async function resetCaches(): Promise<void> {
  await closeAllTransports();
  tokenCache.clear();
}

/** How many credentials have cached tokens and how many transports are open. For tests and diagnostics. */
export function cacheStats(): { tokens: number; transports: { inService: number; retiring: number } } {
  return { tokens: tokenCache.size, transports: pool?.transportCache.stats() ?? { inService: 0, retiring: 0 } };
}
