import { X509Certificate } from "node:crypto";
import net from "node:net";
import tls from "node:tls";
import type { ConnectionOptions } from "../../config/transportConfig";
import { configurationError } from "../../errors/SmtpEmailError";

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;
const MIN_TLS_VERSION = "TLSv1.2";
/** Distinct custom CAs in one process are few; the bound only stops unbounded growth. */
const MAX_CACHED_CONTEXTS = 16;

const contextsByCa = new Map<string, tls.SecureContext>();

/**
 * TLS options for the SMTP socket. Certificates are always verified unless the node explicitly
 * allows invalid ones. A custom CA is added to Node's built-in roots rather than replacing them,
 * so pasting a company CA never breaks a server with a public certificate.
 */
export function tlsSettings(options: ConnectionOptions, host: string): tls.ConnectionOptions {
  return {
    rejectUnauthorized: !options.allowInvalidCertificates,
    minVersion: MIN_TLS_VERSION,
    // SNI takes host names only; an IP address there is a protocol error for some servers.
    ...(net.isIP(host) === 0 && { servername: host }),
    ...(options.caCertificate !== undefined && { secureContext: secureContextWithCa(options.caCertificate) }),
  };
}

/**
 * Built once per CA: parsing the ~150 built-in roots again for every connection costs tens of
 * milliseconds. Checks the pasted PEM too, so a typo surfaces as a configuration error rather than
 * a vague TLS failure.
 */
function secureContextWithCa(pem: string): tls.SecureContext {
  const cached = contextsByCa.get(pem);
  if (cached) return cached;
  const context = tls.createSecureContext({ ca: [...tls.rootCertificates, ...parseCaCertificates(pem)], minVersion: MIN_TLS_VERSION });
  if (contextsByCa.size >= MAX_CACHED_CONTEXTS) contextsByCa.clear();
  contextsByCa.set(pem, context);
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
