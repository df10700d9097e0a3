import { X509Certificate } from "node:crypto";
import net from "node:net";
import type tls from "node:tls";
import type { ConnectionOptions } from "../../config/transportConfig";
import { configurationError } from "../../errors/SmtpEmailError";

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;
const MIN_TLS_VERSION = "TLSv1.2";
/** Distinct custom CAs in one process are few; the bound only stops unbounded growth. */
const MAX_CACHED_CONTEXTS = 16;

const contextsByCa = new Map<string, tls.SecureContext>();

let tlsModule: typeof tls | undefined;
/** Node's `tls`, loaded when a secure context is first built: a cold send connects before it needs it. */
function nodeTls(): typeof tls {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use
  tlsModule ??= require("node:tls") as typeof tls;
  return tlsModule;
}

/**
 * TLS options for the SMTP socket. Certificates are always verified unless the node explicitly
 * allows invalid ones. A custom CA is added to Node's built-in roots rather than replacing them,
 * so pasting a company CA never breaks a server with a public certificate.
 *
 * The pasted PEM is checked here, so a typo is a configuration error before anything connects. The
 * secure context itself (~150 roots parsed, 20–60 ms of CPU) is built when first read: when the TLS
 * handshake starts, or earlier by warmSecureContext while the connection waits for the server.
 */
export function tlsSettings(options: ConnectionOptions, host: string): tls.ConnectionOptions {
  const settings: tls.ConnectionOptions = {
    rejectUnauthorized: !options.allowInvalidCertificates,
    minVersion: MIN_TLS_VERSION,
    // SNI takes host names only; an IP address there is a protocol error for some servers.
    ...(net.isIP(host) === 0 && { servername: host }),
  };
  const pem = options.caCertificate;
  if (pem === undefined) return settings;
  const certificates = parseCaCertificates(pem);
  // Enumerable: nodemailer copies the TLS options key by key (Object.assign) when it connects or upgrades.
  return Object.defineProperty(settings, "secureContext", { enumerable: true, get: () => secureContextWithCa(pem, certificates) });
}

/** Builds the custom CA's secure context now, if the settings have one and it is not built yet. */
export function warmSecureContext(settings: tls.ConnectionOptions | undefined): void {
  void settings?.secureContext;
}

/**
 * Node's default roots plus the custom CA, built once per CA. A context made without `ca` starts from
 * the default roots; adding a CA to it gives it a store of its own, the bundled roots and this CA (what
 * `ca: [...tls.rootCertificates, pem]` gives, without parsing the ~150 roots from PEM again: 2–3 ms instead
 * of 28–57 ms measured here). A `ca` option alone would replace the roots, so a company CA pasted for one
 * relay would break every server with a public certificate.
 */
function secureContextWithCa(pem: string, certificates: string[]): tls.SecureContext {
  const cached = contextsByCa.get(pem);
  if (cached) return cached;
  const context = defaultRootsPlus(certificates);
  if (contextsByCa.size >= MAX_CACHED_CONTEXTS) contextsByCa.clear();
  contextsByCa.set(pem, context);
  return context;
}

function defaultRootsPlus(certificates: string[]): tls.SecureContext {
  const tls = nodeTls();
  const context = tls.createSecureContext({ minVersion: MIN_TLS_VERSION });
  // The native context's own method, the one Node's `ca` option calls for each certificate.
  const native = (context as { context?: { addCACert?: (certificate: string) => void } }).context;
  if (typeof native?.addCACert !== "function") return tls.createSecureContext({ ca: [...tls.rootCertificates, ...certificates], minVersion: MIN_TLS_VERSION });
  for (const certificate of certificates) native.addCACert(certificate);
  return context;
}

function parseCaCertificates(pem: string): string[] {
  const blocks = pem.match(PEM_CERTIFICATE) ?? [];
  const invalid = () =>
    configurationError(
      "caCertificate",
      "Custom CA Certificate is not a valid PEM certificate.",
      "Paste the CA certificate in PEM format, including the -----BEGIN CERTIFICATE----- and -----END CERTIFICATE----- lines.",
    );
  if (blocks.length === 0) throw invalid();
  for (const block of blocks) {
    try {
      new X509Certificate(block);
    } catch {
      throw invalid();
    }
  }
  return blocks;
}
