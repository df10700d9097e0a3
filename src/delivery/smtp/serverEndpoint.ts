import { wellKnownService } from "../../config/wellKnownServices";
import { CUSTOM_SERVICE } from "../../config/emailService";
import type { AuthConfig, Security, ServerConfig } from "../../config/transportConfig";
import { configurationError } from "../../errors/SmtpEmailError";

/**
 * How the SMTP connection is encrypted:
 * - "tls": TLS from the first byte (implicit TLS, usually port 465);
 * - "starttls": plain connect, then STARTTLS is REQUIRED before anything else (fails closed);
 * - "opportunistic": STARTTLS when the server offers it, plain text otherwise (nodemailer's default);
 * - "none": never TLS, even when offered.
 */
export type TlsMode = "tls" | "starttls" | "opportunistic" | "none";

export interface ServerEndpoint {
  host: string;
  port: number;
  tlsMode: TlsMode;
}

const DEFAULT_PORT: Record<Exclude<Security, "auto">, number> = { tls: 465, starttls: 587, none: 25 };
const AUTO_DEFAULT_PORT = 587;
const IMPLICIT_TLS_PORT = 465;

/**
 * Where to connect and how to encrypt. Precedence, most specific first:
 *
 * 1. A well-known service (emailService other than "custom") is taken from nodemailer's table: host,
 *    port and TLS. The node's host, port and security fields are hidden in the editor for these
 *    services, so a stale hidden value must not change (least of all downgrade) the connection.
 *    A service listed without implicit TLS gets STARTTLS *required* unless the table says to ignore
 *    TLS (local dev tools such as Maildev): every public provider offers STARTTLS, and requiring it
 *    stops a man in the middle from stripping it and reading the credentials.
 * 2. For "custom", the node's Connection Security wins when it is set explicitly (tls, starttls, none).
 * 3. When it is "auto", an OAuth2 (refresh token) connection's tlsOption applies, if it has one: it
 *    describes the server that connection was made for, but the node's explicit choice is more specific.
 * 4. Otherwise "auto" goes by the port: 465 is implicit TLS. On any other port, STARTTLS is *required*
 *    whenever a credential is configured (password or token): a man in the middle who strips STARTTLS
 *    from the EHLO reply must get an error, not the password. Without credentials there is nothing to
 *    steal at login, so STARTTLS stays opportunistic. Only an explicit "none" allows a cleartext login.
 *
 * Absent ports default to 465 for tls, 587 for starttls and auto, 25 for none.
 */
export function resolveServerEndpoint(server: ServerConfig, auth: AuthConfig): ServerEndpoint {
  if (server.emailService !== CUSTOM_SERVICE) return wellKnownEndpoint(server.emailService);
  if (!server.host) {
    throw configurationError("host", "SMTP Host is empty.", "Enter the server's host name, e.g. smtp.example.com, or pick a known Email Service.");
  }
  const security = server.security !== "auto" ? server.security : (connectionTlsOption(auth) ?? "auto");
  if (security === "auto") {
    const port = server.port ?? AUTO_DEFAULT_PORT;
    const tlsMode: TlsMode = port === IMPLICIT_TLS_PORT ? "tls" : auth.method === "none" ? "opportunistic" : "starttls";
    return { host: server.host, port, tlsMode };
  }
  return { host: server.host, port: server.port ?? DEFAULT_PORT[security], tlsMode: security };
}

function connectionTlsOption(auth: AuthConfig): Exclude<Security, "auto"> | undefined {
  return auth.method === "oauth2" ? auth.connection.tlsOption : undefined;
}

function wellKnownEndpoint(name: string): ServerEndpoint {
  const service = wellKnownService(name);
  if (!service) {
    throw configurationError("emailService", `Email Service "${name}" is not a known service.`, "Pick one from the list, or Other SMTP Service to enter host and port.");
  }
  // A few table entries give the port as text, some none at all.
  const listedPort = Number(service.port);
  const port = Number.isInteger(listedPort) && listedPort > 0 ? listedPort : service.secure ? IMPLICIT_TLS_PORT : AUTO_DEFAULT_PORT;
  // nodemailer itself treats port 465 without an explicit `secure` as implicit TLS.
  const implicitTls = service.secure ?? port === IMPLICIT_TLS_PORT;
  const tlsMode: TlsMode = implicitTls ? "tls" : service.ignoreTLS ? "none" : "starttls";
  return { host: service.host ?? "localhost", port, tlsMode };
}

/** "host:port", for messages and results. */
export function describeEndpoint(endpoint: ServerEndpoint): string {
  return `${endpoint.host}:${endpoint.port}`;
}
