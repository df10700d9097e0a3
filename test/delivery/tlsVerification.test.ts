/**
 * Certificates are verified by default, a custom CA or (insecurely) allowInvalidCertificates lets a
 * private server through, and STARTTLS, when required, fails closed: no login in clear text.
 */
import { startSmtpTestServer, type SmtpTestServer } from "../support/smtpTestServer";
import { closeAllTransports, sendMail, verifyConnection } from "../../src/delivery";
import { message, rejectionOf, TEST_CA_PEM, transportConfig, withDeadline } from "./helpers/fixtures";

const PASSWORD = "tls-test-password";
const basic = { authMethod: "basic", basicConnection: { username: "alice", password: PASSWORD } };
const servers: SmtpTestServer[] = [];

async function server(options: Parameters<typeof startSmtpTestServer>[0]): Promise<SmtpTestServer> {
  const started = await startSmtpTestServer({ auth: { users: { alice: PASSWORD } }, ...options });
  servers.push(started);
  return started;
}

function configFor(target: SmtpTestServer, security: string, extra: Record<string, unknown> = {}) {
  return transportConfig({ emailService: "custom", host: target.host, port: target.port, security, ...basic, ...extra });
}

afterAll(async () => {
  await closeAllTransports();
  await Promise.all(servers.map((started) => started.close()));
});

describe("certificate verification", () => {
  test("a certificate from an unknown CA is refused by default and accepted with that CA as caCertificate", async () => {
    const target = await server({ security: "tls", cert: "trusted" });

    const refused = await rejectionOf(withDeadline(5_000, (deadline) => sendMail(configFor(target, "tls"), message("no ca"), deadline)));
    expect(refused.code).toBe("tls");
    expect(refused.details).toMatchObject({ libraryCode: "ESOCKET", field: "caCertificate" });
    expect(refused.message).toMatch(/certificate of 127\.0\.0\.1:\d+ is self-signed or signed by a certificate authority this node does not trust/);
    expect(refused.hint).toMatch(/Custom CA Certificate/);
    expect(target.authAttempts).toEqual([]);

    await withDeadline(5_000, (deadline) => sendMail(configFor(target, "tls", { caCertificate: TEST_CA_PEM }), message("with ca"), deadline));
    expect(target.messages.map((received) => received.secure)).toEqual([true]);
  });

  test("a self-signed certificate is refused even with a custom CA, and accepted only with allowInvalidCertificates", async () => {
    const target = await server({ security: "starttls", cert: "untrusted" });

    const refused = await rejectionOf(withDeadline(5_000, (deadline) => sendMail(configFor(target, "starttls", { caCertificate: TEST_CA_PEM }), message("self-signed"), deadline)));
    expect(refused.code).toBe("tls");
    expect(refused.message).toMatch(/DEPTH_ZERO_SELF_SIGNED_CERT/);
    expect(target.authAttempts).toEqual([]);

    await withDeadline(5_000, (deadline) => sendMail(configFor(target, "starttls", { allowInvalidCertificates: true }), message("allowed"), deadline));
    expect(target.messages).toHaveLength(1);
    expect(target.messages[0].secure).toBe(true);
  });

  test("verifyConnection refuses an untrusted certificate the same way", async () => {
    const target = await server({ security: "tls", cert: "untrusted" });
    const refused = await rejectionOf(withDeadline(5_000, (deadline) => verifyConnection(configFor(target, "tls"), deadline)));
    expect(refused.code).toBe("tls");
  });

  test("a caCertificate that is not PEM is a configuration error naming the field", async () => {
    const target = await server({ security: "tls" });
    const refused = await rejectionOf(withDeadline(5_000, (deadline) => sendMail(configFor(target, "tls", { caCertificate: "not a certificate" }), message("bad ca"), deadline)));
    expect(refused.code).toBe("configuration");
    expect(refused.details.field).toBe("caCertificate");
    expect(target.connections).toBe(0);
  });
});

describe("STARTTLS required", () => {
  test("fails closed against a server that offers no STARTTLS: no AUTH attempt, nothing sent", async () => {
    const target = await server({ security: "none" });

    const refused = await rejectionOf(withDeadline(5_000, (deadline) => sendMail(configFor(target, "starttls"), message("must not leak"), deadline)));
    expect(refused.code).toBe("tls");
    expect(refused.details).toMatchObject({ libraryCode: "ETLS", command: "STARTTLS", field: "security" });
    expect(refused.message).toMatch(/does not support STARTTLS/);
    expect(target.authAttempts).toEqual([]);
    expect(target.commands.map((c) => c.command)).not.toContain("AUTH");
    expect(target.commands.map((c) => c.command)).not.toContain("MAIL");
    expect(target.messages).toEqual([]);
  });

  test("verifyConnection fails closed the same way", async () => {
    const target = await server({ security: "none" });
    const refused = await rejectionOf(withDeadline(5_000, (deadline) => verifyConnection(configFor(target, "starttls"), deadline)));
    expect(refused.code).toBe("tls");
    expect(target.commands.map((c) => c.command)).not.toContain("AUTH");
  });

  test("is used even when the server does not advertise it", async () => {
    const target = await server({ security: "starttls", hideSTARTTLS: true });
    await withDeadline(5_000, (deadline) => sendMail(configFor(target, "starttls", { caCertificate: TEST_CA_PEM }), message("hidden starttls"), deadline));
    expect(target.messages[0].secure).toBe(true);
    expect(target.authAttempts).toEqual([{ method: "PLAIN", username: "alice", success: true, secure: true }]);
  });
});

test("implicit TLS against a plain-text port is a TLS error that explains the mismatch", async () => {
  const target = await server({ security: "starttls" });
  const refused = await rejectionOf(withDeadline(5_000, (deadline) => sendMail(configFor(target, "tls", { caCertificate: TEST_CA_PEM }), message("mismatch"), deadline)));
  expect(refused.code).toBe("tls");
  expect(refused.message).toMatch(/does not speak TLS from the first byte/);
  expect(refused.hint).toMatch(/STARTTLS/);
});
