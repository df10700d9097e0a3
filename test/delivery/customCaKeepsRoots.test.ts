/**
 * Custom CA Certificate adds a CA to Node's default roots; it never replaces them. The bundled roots
 * cannot sign a test certificate, so a child process stands the test CA in for them: with
 * `--use-openssl-ca` Node takes its default roots from OpenSSL's store, here SSL_CERT_FILE = the test CA.
 * The child's Custom CA is an unrelated self-signed certificate; the server's certificate (signed by the
 * test CA) verifies only if the default roots are still trusted next to it.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { startSmtpTestServer, type SmtpTestServer } from "../support/smtpTestServer";
import { TLS_FIXTURES_DIR, untrustedServerCert } from "../support/tlsFixtures";

const CHILD_LIMIT_MS = 45_000;
let server: SmtpTestServer;

beforeAll(async () => {
  server = await startSmtpTestServer({ security: "starttls", auth: { users: { alice: "roots-Pa55word" } } });
});
afterAll(() => server.close());

function sendInChild(env: NodeJS.ProcessEnv): Promise<{ success: boolean; error?: { code: string } }> {
  const config = {
    emailService: "custom",
    host: server.host,
    port: server.port,
    security: "starttls",
    caCertificate: untrustedServerCert.cert.toString("utf8"),
    timeoutSeconds: 10,
    authMethod: "basic",
    basicConnection: { username: "alice", password: "roots-Pa55word" },
    to: "bob@example.com",
    from: "alice@example.com",
    subject: "roots kept",
    content: "<p>Hello</p>",
  };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--use-openssl-ca", "--import", "tsx", path.join(__dirname, "helpers", "coldSend.ts")], {
      cwd: path.join(__dirname, "..", ".."),
      env: { ...process.env, ...env, SMTP_EMAIL_CONFIG: JSON.stringify(config) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    const killer = setTimeout(() => child.kill("SIGKILL"), CHILD_LIMIT_MS);
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    child.on("error", reject);
    child.on("exit", () => {
      clearTimeout(killer);
      const line = stdout.split("\n")[0];
      if (!line) return reject(new Error(`child printed no result: ${stderr}`));
      resolve(JSON.parse(line) as { success: boolean; error?: { code: string } });
    });
  });
}

test(
  "a server signed by a default root still verifies when Custom CA Certificate holds another CA",
  async () => {
    const before = server.messages.length;
    expect(await sendInChild({ SSL_CERT_FILE: path.join(TLS_FIXTURES_DIR, "ca.pem"), NODE_EXTRA_CA_CERTS: "" })).toMatchObject({ success: true });
    expect(server.messages.length).toBe(before + 1);
  },
  CHILD_LIMIT_MS + 5_000,
);

test(
  "without that root the same server is refused (the Custom CA alone does not vouch for it)",
  async () => {
    const emptyStore = path.join(TLS_FIXTURES_DIR, "untrusted.pem");
    expect(await sendInChild({ SSL_CERT_FILE: emptyStore, NODE_EXTRA_CA_CERTS: "" })).toMatchObject({ success: false, error: { code: "tls" } });
  },
  CHILD_LIMIT_MS + 5_000,
);
