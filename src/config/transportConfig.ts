import * as z from "zod/mini";
import { CUSTOM_SERVICE } from "./emailService";
import {
  basicAuthConnectionConfig,
  clientAuthStyle,
  clientCredentialsConnectionConfig,
  oauth2ConnectionConfig,
  withDefaultScope,
  type BasicAuthConnectionConfig,
  type ClientCredentialsConnectionConfig,
  type OAuth2ConnectionConfig,
} from "./connectionConfigs";
import type { ConfigIssues } from "./configIssues";
import { toDeliveryConfig, type DeliveryConfig } from "./deliveryConfig";
import { choice, flag, optionalNumber, optionalRawText, optionalText } from "./rawValues";

export type Security = "auto" | "tls" | "starttls" | "none";

export interface ServerConfig {
  /** "custom" or one of nodemailer's well-known service names. */
  emailService: string;
  host?: string;
  port?: number;
  security: Security;
}

export type AuthConfig =
  | { method: "none" }
  | { method: "basic"; connection: BasicAuthConnectionConfig }
  | { method: "oauth2"; connection: OAuth2ConnectionConfig }
  | { method: "oauth2ClientCredentials"; connection: ClientCredentialsConnectionConfig; clientAuthStyle: "body" | "header" };

export interface ConnectionOptions {
  caCertificate?: string;
  allowInvalidCertificates: boolean;
  clientName?: string;
  /** The whole operation's budget, token and attachment fetching included. */
  timeoutMs: number;
}

/**
 * Whether an auth config can no longer change, connection included: the config memo hands out deeply
 * frozen configs, and what is derived from them (plans, secret forms) is then kept per object.
 */
export function isFrozenAuth(auth: AuthConfig): boolean {
  return Object.isFrozen(auth) && (auth.method === "none" || Object.isFrozen(auth.connection));
}

/** The config memo freezes all the way down; a config frozen only at its top could still change where a plan looks. */
export function isFrozenTransportConfig(config: TransportConfig): boolean {
  return Object.isFrozen(config) && Object.isFrozen(config.delivery) && Object.isFrozen(config.server) && Object.isFrozen(config.options) && isFrozenAuth(config.auth);
}

/** Everything needed to reach and log in to the server: shared by sending and the connection test. */
export interface TransportConfig {
  /** SMTP (through `server`) or Microsoft Graph. */
  delivery: DeliveryConfig;
  /** Used by the SMTP delivery only. */
  server: ServerConfig;
  auth: AuthConfig;
  options: ConnectionOptions;
}

export const DEFAULT_TIMEOUT_SECONDS = 15;

const missingConnection = (label: string) => `No ${label} connection is selected: pick or create one under Authentication.`;

/** Raw keys of the server, authentication and connection-option fields. */
export const transportConfigShape = {
  delivery: choice("Delivery (delivery)", ["smtp", "graph"] as const, "smtp"),
  graphEndpoint: optionalText("Graph Endpoint (graphEndpoint)"),
  emailService: optionalText("Email Service (emailService)"),
  host: optionalText("SMTP Host (host)"),
  port: optionalNumber("SMTP Port (port)"),
  security: choice("Connection Security (security)", ["auto", "tls", "starttls", "none"] as const, "auto"),
  authMethod: choice("Authentication Method (authMethod)", ["basic", "oauth2ClientCredentials", "oauth2", "none"] as const, "basic"),
  basicConnection: z.optional(z.unknown()),
  oauth2Connection: z.optional(z.unknown()),
  clientCredentialsConnection: z.optional(z.unknown()),
  clientAuthStyle,
  caCertificate: optionalRawText("Custom CA Certificate (caCertificate)"),
  allowInvalidCertificates: flag(false),
  clientName: optionalText("Client Host Name (clientName)"),
  timeoutSeconds: optionalNumber("Total Timeout (timeoutSeconds)"),
};

type RawTransport = z.output<z.ZodMiniObject<typeof transportConfigShape>>;

export function toTransportConfig(raw: RawTransport, ctx: ConfigIssues, isKnownService: (name: string) => boolean): TransportConfig {
  const delivery = toDeliveryConfig(raw.delivery, raw.graphEndpoint, ctx);
  const emailService = raw.emailService ?? CUSTOM_SERVICE;
  // The server fields are hidden with Graph: whatever they still hold is not checked, nor used.
  if (delivery.kind === "smtp") checkServer(raw, emailService, ctx, isKnownService);
  if (delivery.kind === "graph" && raw.authMethod !== "oauth2ClientCredentials") {
    ctx.addIssue({
      code: "custom",
      path: ["authMethod"],
      message: "Delivery Microsoft Graph needs Authentication Method OAuth2 Client Credentials (an app registration with the Mail.Send application permission): choose it, or choose Delivery SMTP.",
    });
  }
  const timeoutSeconds = raw.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS;
  if (timeoutSeconds <= 0 || timeoutSeconds > 120) {
    ctx.addIssue({ code: "custom", path: ["timeoutSeconds"], message: `Total Timeout ${timeoutSeconds} s is out of range: use 1 to 120 seconds, below 20 for synchronous sends.` });
  }
  return {
    delivery,
    server: { emailService, host: raw.host, port: raw.port, security: raw.security },
    auth: toAuthConfig(raw, delivery, ctx),
    options: {
      caCertificate: raw.caCertificate,
      allowInvalidCertificates: raw.allowInvalidCertificates,
      clientName: raw.clientName,
      timeoutMs: Math.round(timeoutSeconds * 1000),
    },
  };
}

function checkServer(raw: RawTransport, emailService: string, ctx: ConfigIssues, isKnownService: (name: string) => boolean): void {
  if (emailService !== CUSTOM_SERVICE && !isKnownService(emailService)) {
    ctx.addIssue({ code: "custom", path: ["emailService"], message: `Email Service "${emailService}" is not a known service: pick one from the list or Other SMTP Service.` });
  }
  if (emailService === CUSTOM_SERVICE && !raw.host) {
    ctx.addIssue({ code: "custom", path: ["host"], message: "SMTP Host is empty: enter the server's host name, e.g. smtp.example.com, or pick a known Email Service." });
  }
  if (raw.port !== undefined && (!Number.isInteger(raw.port) || raw.port < 1 || raw.port > 65535)) {
    ctx.addIssue({ code: "custom", path: ["port"], message: `SMTP Port ${raw.port} is not a port: use a whole number from 1 to 65535, usually 465 or 587.` });
  }
}

function toAuthConfig(raw: RawTransport, delivery: DeliveryConfig, ctx: ConfigIssues): AuthConfig {
  const parseConnection = <S extends z.ZodMiniType>(schema: S, key: string, label: string, value: unknown): z.output<S> | undefined => {
    if (value === undefined || value === null || value === "") {
      ctx.addIssue({ code: "custom", path: [key], message: missingConnection(label) });
      return undefined;
    }
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    for (const issue of result.error.issues) ctx.addIssue({ code: "custom", path: [key, ...issue.path.map(String)], message: issue.message });
    return undefined;
  };
  switch (raw.authMethod) {
    case "none":
      return { method: "none" };
    case "basic": {
      const connection = parseConnection(basicAuthConnectionConfig(), "basicConnection", "Basic Auth", raw.basicConnection);
      return connection ? { method: "basic", connection } : { method: "none" };
    }
    case "oauth2": {
      const connection = parseConnection(oauth2ConnectionConfig(), "oauth2Connection", "OAuth2", raw.oauth2Connection);
      return connection ? { method: "oauth2", connection } : { method: "none" };
    }
    case "oauth2ClientCredentials": {
      const connection = parseConnection(clientCredentialsConnectionConfig(), "clientCredentialsConnection", "OAuth2 Client Credentials", raw.clientCredentialsConnection);
      return connection ? { method: "oauth2ClientCredentials", connection: withDefaultScope(connection, delivery), clientAuthStyle: raw.clientAuthStyle } : { method: "none" };
    }
  }
}
