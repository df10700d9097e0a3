import type { SMTPConnectionOptions } from "nodemailer/lib/smtp-connection";
import type { SMTPPoolOptions } from "nodemailer/lib/smtp-pool";
import { authenticatedUser } from "../../config/authenticatedUser";
import { CUSTOM_SERVICE } from "../../config/emailService";
import { derivedOnce } from "../../config/derivedOnce";
import { isFrozenTransportConfig, type TransportConfig } from "../../config/transportConfig";
import type { Deadline } from "../../deadline/deadline";
import { credentialHash } from "../../oauth2/credentialHash";
import type { IssuedToken, TokenSource } from "../../oauth2/tokenSource";
import { tokenSourceFor } from "../../oauth2/tokenSources";
import { describeEndpoint, resolveServerEndpoint, type ServerEndpoint } from "./serverEndpoint";
import { secretsInPlay } from "../../oauth2/tokenSecrets";
import { credentialFingerprint, transportAuth } from "./smtpAuth";
import type { SmtpFailureContext } from "./smtpFailure";
import { tlsSettings } from "./tlsSettings";

/** A pooled transport nobody used for this long is closed: it frees the server's connection slots. */
export const IDLE_CLOSE_MS = 30_000;
/** Few connections per server: mail servers limit connections per client, and a node sends one mail at a time. */
const MAX_CONNECTIONS = 3;
/** Reconnect after this many messages on one connection; many servers cap messages per session around here. */
const MAX_MESSAGES_PER_CONNECTION = 100;
/** How long to wait for the server to close its side after we end ours; its QUIT reply is all we need. */
const SOCKET_CLOSE_MS = 1_000;
/** A connection closed before the greeting (nothing sent) is retried on a new one at most this often. */
const MAX_REQUEUES = 2;

/** Everything derived from a TransportConfig that sending and verifying share. */
export interface TransportPlan {
  endpoint: ServerEndpoint;
  /** "host:port". */
  server: string;
  user?: string;
  tokenSource?: TokenSource;
  /** Connection settings without credentials and time limits. */
  connection: SMTPConnectionOptions;
  /** The pooled transport's slot: server settings, login name and credential, hashed. A renewed token selects a new variant. */
  slotKey: string;
  /** The credential's fingerprint (see credentialFingerprint) for methods without tokens; undefined with OAuth2. */
  fixedCredential?: string;
}

/**
 * Plans of validated configs that can no longer change (the config memo hands out deeply frozen ones):
 * a flow sending through the same node again reuses the plan instead of hashing the credential again.
 * Weak keys: a plan lives exactly as long as its config.
 */
const plansOfFrozenConfigs = new WeakMap<TransportConfig, TransportPlan>();

export function planTransport(config: TransportConfig): TransportPlan {
  return derivedOnce(plansOfFrozenConfigs, config, isFrozenTransportConfig(config), buildPlan);
}

function buildPlan(config: TransportConfig): TransportPlan {
  const endpoint = resolveServerEndpoint(config.server, config.auth);
  const user = authenticatedUser(config.auth);
  const { tlsMode, host, port } = endpoint;
  const tokenSource = tokenSourceFor(config.auth, config.options.timeoutMs);
  const connection: SMTPConnectionOptions = {
    host,
    port,
    secure: tlsMode === "tls",
    // requireTLS makes nodemailer send STARTTLS even when not offered and fail with ETLS if refused:
    // credentials never go out in clear text on a "starttls" connection.
    requireTLS: tlsMode === "starttls",
    ignoreTLS: tlsMode === "none",
    tls: tlsSettings(config.options, host),
    ...(config.options.clientName !== undefined && { name: config.options.clientName }),
    // An idle pooled connection must not be cut by the inactivity timeout before the pool closes it politely;
    // a stalled send is cut by the deadline instead (see sendMail).
    socketTimeout: IDLE_CLOSE_MS + 10_000,
    socketCloseTimeout: SOCKET_CLOSE_MS,
    logger: false,
  };
  const slotKey = credentialHash(
    "smtp-transport",
    host,
    port,
    tlsMode,
    config.options.allowInvalidCertificates,
    config.options.caCertificate,
    config.options.clientName,
    config.auth.method,
    user,
    // The credential itself, so two connections with the same login but different passwords or apps
    // each keep their own pool instead of replacing each other's on every send.
    credentialIdentity(config, tokenSource),
  );
  const fixedCredential = tokenSource ? undefined : credentialFingerprint(config.auth, undefined, undefined);
  return { endpoint, server: describeEndpoint(endpoint), user, tokenSource, connection, slotKey, fixedCredential };
}

function credentialIdentity(config: TransportConfig, tokenSource: TokenSource | undefined): string | undefined {
  return config.auth.method === "basic" ? config.auth.connection.password : tokenSource?.key;
}

/** nodemailer's pooled-transport options for this plan and credential. */
export function poolOptions(plan: TransportPlan, config: TransportConfig, token: IssuedToken | undefined, deadline: Deadline): SMTPPoolOptions {
  const auth = transportAuth(config.auth, token);
  return {
    ...plan.connection,
    ...connectTimeouts(deadline),
    pool: true,
    maxConnections: MAX_CONNECTIONS,
    maxMessages: MAX_MESSAGES_PER_CONNECTION,
    maxRequeues: MAX_REQUEUES,
    idleTimeout: IDLE_CLOSE_MS,
    ...(auth && { auth, forceAuth: true }),
    // Message content comes from flow designers and end users: never let nodemailer read local files or fetch URLs for it.
    disableFileAccess: true,
    disableUrlAccess: true,
  };
}

/** What is left of the budget as a nodemailer time limit: at least 1 ms, never more than what is left. */
export function remainingLimitMs(deadline: Deadline): number {
  return Math.max(1, deadline.remainingMs());
}

/** Connecting and the greeting may take what is left of the budget, never more. */
export function connectTimeouts(deadline: Deadline): Pick<SMTPConnectionOptions, "connectionTimeout" | "greetingTimeout"> {
  const remaining = remainingLimitMs(deadline);
  return { connectionTimeout: remaining, greetingTimeout: remaining };
}

/** The same limits written into a live pool's options (read when it opens a connection), without an object per send. */
export function setConnectTimeouts(options: Pick<SMTPConnectionOptions, "connectionTimeout" | "greetingTimeout">, deadline: Deadline): void {
  const remaining = remainingLimitMs(deadline);
  options.connectionTimeout = remaining;
  options.greetingTimeout = remaining;
}

export function failureContext(plan: TransportPlan, config: TransportConfig, token: IssuedToken | undefined, deadline: Deadline, step: string): SmtpFailureContext {
  return {
    server: plan.server,
    host: plan.endpoint.host,
    tlsMode: plan.endpoint.tlsMode,
    tlsRequiredForLogin: config.server.emailService === CUSTOM_SERVICE && config.server.security === "auto" && !(config.auth.method === "oauth2" && config.auth.connection.tlsOption) && plan.endpoint.tlsMode === "starttls",
    authMethod: config.auth.method,
    user: plan.user,
    secrets: secretsInPlay(config.auth, token),
    deadline,
    step,
  };
}
