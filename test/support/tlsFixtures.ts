import fs from "node:fs";
import path from "node:path";

/** Folder with the test-only CA and server certificates (see test/fixtures/tls/README.md). */
export const TLS_FIXTURES_DIR = path.resolve(__dirname, "..", "fixtures", "tls");

function load(name: string): Buffer {
  return fs.readFileSync(path.join(TLS_FIXTURES_DIR, name));
}

/** PEM of the test CA: pass as `tls: { ca: testCa }` so clients trust the "trusted" server certificate. */
export const testCa: Buffer = load("ca.pem");

/** Key pair of the server certificate signed by the test CA (CN=localhost, SAN localhost/127.0.0.1/::1). */
export const trustedServerCert = { key: load("server-key.pem"), cert: load("server.pem") } as const;

/** Key pair of the self-signed certificate for the same names, which the test CA does not vouch for. */
export const untrustedServerCert = { key: load("untrusted-key.pem"), cert: load("untrusted.pem") } as const;
