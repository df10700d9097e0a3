import type { SmtpTestServer } from "../support/smtpTestServer";
import { testCa } from "../support/tlsFixtures";
import { TEST_SECRETS } from "../support/testSecrets";

export const MAILBOX = "bot@flow.example";

/** Raw node config as Cognigy hands it over, for a custom server reached with the test CA. */
export function serverConfig(server: SmtpTestServer, security: "tls" | "starttls" | "none" = "tls"): Record<string, unknown> {
  return {
    emailService: "custom",
    host: server.host,
    port: server.port,
    security,
    caCertificate: testCa.toString("utf8"),
    timeoutSeconds: 5,
  };
}

export const basicAuth = (password: string = TEST_SECRETS.password) => ({
  authMethod: "basic",
  basicConnection: { username: MAILBOX, password },
});

export const message = {
  to: "jane@example.com",
  subject: "Hello",
  content: "<p>Hello Jane</p>",
};
